# The mlops executable in a container: build with the SDK, run on the ASP.NET runtime (serve hosts HTTP later).
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
ENTRYPOINT ["dotnet", "/app/mlops.dll"]
