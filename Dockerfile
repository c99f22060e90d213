# The mlops executable in a container: built with the SDK, run on the ASP.NET Core runtime.
#   docker build -t mlops .
#   docker run --rm -p 127.0.0.1:5080:5080 -e MLOPS_API_TOKEN=... mlops                 # serve, embedded storage
#   docker run --rm mlops validate pipelines samples                                    # any other command
# The default command is 'serve' listening on 0.0.0.0:5080 inside the container. Requests from outside the container
# do not come from loopback, so they need 'Authorization: Bearer $MLOPS_API_TOKEN' (or MLOPS_VIEWER_TOKEN to read);
# without a configured token they get 401. See docs/operations.md.
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
COPY . .
RUN dotnet publish src/MlOpsOrchestrator.Cli -c Release -o /app

FROM mcr.microsoft.com/dotnet/aspnet:10.0
# LightGBM's native library needs OpenMP.
RUN apt-get update && apt-get install -y --no-install-recommends libgomp1 && rm -rf /var/lib/apt/lists/*
WORKDIR /work
COPY --from=build /app /app
COPY pipelines /work/pipelines
COPY samples /work/samples
ENV MLOPS_HOME=/var/lib/mlops MLOPS_DATA_ROOT=/work
VOLUME /var/lib/mlops
EXPOSE 5080
# Liveness of 'serve' from inside the container (loopback needs no token); a worker has no HTTP and overrides this.
HEALTHCHECK --interval=10s --timeout=6s --start-period=20s --retries=3 \
  CMD bash -c 'exec 3<>/dev/tcp/127.0.0.1/5080 && printf "GET /health HTTP/1.0\r\n\r\n" >&3 && head -n 1 <&3 | grep -q " 200 "'
ENTRYPOINT ["dotnet", "/app/mlops.dll"]
CMD ["serve", "--urls", "http://0.0.0.0:5080"]
