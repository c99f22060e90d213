using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.ObjectPool;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace MlOpsOrchestrator.Bench;

/// <summary>
/// <c>mlops-bench --baseline-serve MODEL_ZIP</c>: the bare serving the <c>serving</c> benchmark compares
/// <c>mlops serve</c> with. An ASP.NET Core minimal API on a free loopback port, one <c>POST /predict</c> endpoint that
/// binds the JSON body to a row class and scores it with a pooled ML.NET <see cref="PredictionEngine{TSrc,TDst}"/> (what
/// Microsoft.Extensions.ML's PredictionEnginePool does), loading the same model zip. Prints <c>listening: URL</c>.
/// </summary>
internal static class ServingBaseline
{
    public const string Mode = "--baseline-serve";

    public const string ListeningPrefix = "listening: ";

    public static async Task<int> RunAsync(IReadOnlyList<string> args)
    {
        if (args.Count != 1)
        {
            await Console.Error.WriteLineAsync($"usage: mlops-bench {Mode} MODEL_ZIP");
            return 2;
        }

        var ml = new MLContext();
        var model = ml.Model.Load(args[0], out _);
        var engines = new DefaultObjectPool<PredictionEngine<ChurnRow, ChurnPrediction>>(new EnginePolicy(ml, model), Environment.ProcessorCount * 4);

        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = [] });
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        await using var app = builder.Build();
        app.MapPost("/predict", (ChurnRow row) =>
        {
            var engine = engines.Get();
            try
            {
                var prediction = engine.Predict(row);
                return Results.Json(new ChurnResponse(prediction.PredictedLabel ? "yes" : "no", prediction.Probability, prediction.Score));
            }
            finally
            {
                engines.Return(engine);
            }
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        Console.WriteLine(ListeningPrefix + address);
        await app.WaitForShutdownAsync();
        return 0;
    }

    private sealed class EnginePolicy(MLContext ml, ITransformer model) : PooledObjectPolicy<PredictionEngine<ChurnRow, ChurnPrediction>>
    {
        public override PredictionEngine<ChurnRow, ChurnPrediction> Create() => ml.Model.CreatePredictionEngine<ChurnRow, ChurnPrediction>(model);

        public override bool Return(PredictionEngine<ChurnRow, ChurnPrediction> obj) => true;
    }

    private sealed record ChurnResponse(
        [property: JsonPropertyName("predictedLabel")] string PredictedLabel,
        [property: JsonPropertyName("probability")] float Probability,
        [property: JsonPropertyName("score")] float Score);
}

/// <summary>One customer-churn row as the model reads it (its raw feature columns), bound from the same JSON the product gets.</summary>
internal sealed class ChurnRow
{
    [ColumnName("tenure_months"), JsonPropertyName("tenure_months")]
    public float TenureMonths { get; set; }

    [ColumnName("monthly_charges"), JsonPropertyName("monthly_charges")]
    public float MonthlyCharges { get; set; }

    [ColumnName("contract"), JsonPropertyName("contract")]
    public string Contract { get; set; } = "";

    [ColumnName("payment"), JsonPropertyName("payment")]
    public string Payment { get; set; } = "";

    [ColumnName("support_calls"), JsonPropertyName("support_calls")]
    public float SupportCalls { get; set; }

    [ColumnName("outages"), JsonPropertyName("outages")]
    public float Outages { get; set; }

    [ColumnName("last_note"), JsonPropertyName("last_note")]
    public string LastNote { get; set; } = "";
}

/// <summary>What a calibrated binary model adds to a row.</summary>
internal sealed class ChurnPrediction
{
    public bool PredictedLabel { get; set; }

    public float Probability { get; set; }

    public float Score { get; set; }
}
