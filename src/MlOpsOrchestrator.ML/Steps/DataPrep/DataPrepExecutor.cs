using Microsoft.Extensions.Logging;
using MlOpsOrchestrator.Execution;
using MlOpsOrchestrator.Sources;
using MlOpsOrchestrator.Specs;
using MlOpsOrchestrator.Stores;

namespace MlOpsOrchestrator.ML.Steps.DataPrep;

/// <summary>
/// The <c>data_prep</c> step: reads <c>data.source</c> with the reader registered for its type (CSV, a PostgreSQL query), types and validates every value,
/// splits train/test and writes them with the schema and the data profile (see <see cref="ArtifactNames"/>).
/// Bad data fails the step with every problem listed, each naming its column and row. In incremental mode only
/// rows newer than the pipeline's watermark are prepared; none is a success with output <c>empty = "true"</c>.
/// Writes only under the run's and step's own artifact prefix, so running it again after a crash is harmless.
/// </summary>
public sealed class DataPrepExecutor(SourceReaders sources, IArtifactStore artifacts, IWatermarkStore watermarks, IModelRegistry registry) : IStepExecutor
{
    public StepKind Kind => StepKind.DataPrep;

    public Task<StepOutcome> ExecuteAsync(StepContext context, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.Step is not DataPrepStep step)
        {
            throw new ArgumentException($"Step '{context.Step.Id}' is {context.Step.Kind}, not a data_prep step.", nameof(context));
        }

        return RunAsync(context, step, ct);
    }

    private async Task<StepOutcome> RunAsync(StepContext context, DataPrepStep step, CancellationToken ct)
    {
        // The step's end and its message are logged once, by the run executor.
        return await new DataPreparation(context, step, sources, artifacts, watermarks, registry).RunAsync(ct);
    }
}
