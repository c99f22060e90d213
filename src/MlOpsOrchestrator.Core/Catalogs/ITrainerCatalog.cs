namespace MlOpsOrchestrator.Catalogs;

/// <summary>
/// The trainers available to pipelines. Core validates against this contract so that the YAML rules stay
/// free of ML.NET; the ML project implements it from the real trainer option classes.
/// </summary>
public interface ITrainerCatalog
{
    /// <summary>Every trainer name valid for <paramref name="task"/>, in a stable order (used in error messages).</summary>
    IReadOnlyList<string> TrainerNames(MlTask task);

    /// <summary>The trainer called <paramref name="name"/> for <paramref name="task"/>, or null when there is none.</summary>
    TrainerDescriptor? Find(MlTask task, string name);
}
