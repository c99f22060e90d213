using MlOpsOrchestrator.Loading;
using MlOpsOrchestrator.Runs;

namespace MlOpsOrchestrator.Execution;

/// <summary>Rebuilds the definition a run was launched with from the YAML stored in its record.</summary>
public sealed class RunDefinitionLoader(PipelineLoader loader)
{
    public LoadResult Load(RunRecord run) => loader.ParseStored(run.PipelineYaml, run.PipelineFile);
}
