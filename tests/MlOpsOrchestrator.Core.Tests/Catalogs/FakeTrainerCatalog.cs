using MlOpsOrchestrator.Catalogs;

namespace MlOpsOrchestrator.Tests.Catalogs;

/// <summary>
/// A small hand-written catalog: two trainers per task, one of them able to warm start, with options of every
/// value kind. The real catalog is tested against ML.NET in the ML tests.
/// </summary>
internal sealed class FakeTrainerCatalog : ITrainerCatalog
{
    public static FakeTrainerCatalog Instance { get; } = new();

    private static readonly IReadOnlyList<TrainerDescriptor> All =
    [
        Trainer("lbfgs_logistic_regression", MlTask.Binary, warmStart: true,
            Integer("maximum_number_of_iterations"), Float("l2_regularization")),
        Trainer("fast_tree", MlTask.Binary, warmStart: false,
            Integer("number_of_trees"), Float("learning_rate"),
            Boolean("unbalanced_sets")),
        Trainer("lbfgs_maximum_entropy", MlTask.Multiclass, warmStart: true,
            Integer("maximum_number_of_iterations")),
        Trainer("light_gbm", MlTask.Multiclass, warmStart: false,
            Integer("number_of_iterations"),
            OneOf("evaluation_metric", "default", "error", "log_loss")),
        Trainer("online_gradient_descent", MlTask.Regression, warmStart: true,
            Float("learning_rate"), Boolean("decrease_learning_rate")),
        Trainer("fast_tree", MlTask.Regression, warmStart: false,
            Integer("number_of_trees"),
            Float("learning_rate"),
            Boolean("enable_pruning"),
            OneOf("optimization_algorithm", "gradient_descent", "accelerated_gradient_descent", "conjugate_gradient_descent"),
            Text("example_weight_column_name")),
    ];

    public IReadOnlyList<string> TrainerNames(MlTask task) => All.Where(t => t.Task == task).Select(t => t.Name).ToList();

    public TrainerDescriptor? Find(MlTask task, string name) => All.FirstOrDefault(t => t.Task == task && t.Name == name);

    private static TrainerDescriptor Trainer(string name, MlTask task, bool warmStart, params TrainerOption[] options) =>
        new(name, task, options.ToDictionary(o => o.Name, StringComparer.Ordinal), warmStart);

    private static TrainerOption Integer(string name) => new(name, OptionValueKind.Integer);

    private static TrainerOption Float(string name) => new(name, OptionValueKind.Float);

    private static TrainerOption Boolean(string name) => new(name, OptionValueKind.Boolean);

    private static TrainerOption Text(string name) => new(name, OptionValueKind.Text);

    private static TrainerOption OneOf(string name, params string[] values) => new(name, OptionValueKind.Enum, values);
}
