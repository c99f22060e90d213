using System.Globalization;

namespace MlOpsOrchestrator.ML.Steps;

/// <summary>
/// How many passes a warm start makes over its slice. A full run's iteration count is set for the whole training set;
/// spent on a slice of a few rows it fits the slice, not the data, and pulls the production model far from what it
/// knew (24 rows fitted 30 times move an online gradient descent model further than 5,000 rows fitted once). So the
/// count is scaled by the slice's share of the data the production model was trained on:
/// <c>passes = ceil(configured × slice rows / base training rows)</c>, at least 1 and at most the configured count.
/// Per trainer, the option scaled and the configured count when the YAML does not set it:
/// <list type="bullet">
/// <item><c>online_gradient_descent</c>: <c>number_of_iterations</c> (passes over the rows; ML.NET's default 1), and
/// its <c>learning_rate</c> (default 0.1) by the same share: every fit restarts the step size at the configured rate,
/// while the production model ended its own schedule far below it, so even one pass over a few rows at the full rate
/// undoes much of what it learned.</item>
/// <item><c>averaged_perceptron</c>: <c>number_of_iterations</c> (passes over the rows; default 1).</item>
/// <item><c>lbfgs_logistic_regression</c>, <c>lbfgs_poisson</c>, <c>lbfgs_maximum_entropy</c>:
/// <c>maximum_number_of_iterations</c> (optimizer iterations; unset, L-BFGS runs to convergence, counted here as 100,
/// more than these trainers need on a full training set).</item>
/// </list>
/// The base training rows are the rows of the training profile recorded with the production version (for a version
/// that was itself warm-started, its reference version's: the data its featurization was fitted on).
/// </summary>
internal static class WarmStartPasses
{
    private const string OnlineGradientDescent = "online_gradient_descent";
    private const string LearningRate = "learning_rate";

    /// <summary>ML.NET's <c>learning_rate</c> of online gradient descent when the YAML does not set it.</summary>
    private const double OnlineGradientDescentRate = 0.1;

    /// <summary>The iteration count an L-BFGS trainer without <c>maximum_number_of_iterations</c> is scaled from.</summary>
    public const int LbfgsIterations = 100;

    /// <summary>The option holding a warm-startable trainer's pass count, and its count when the YAML does not set it.</summary>
    public static (string Option, int Default)? Of(string trainer) => trainer switch
    {
        "online_gradient_descent" or "averaged_perceptron" => ("number_of_iterations", 1),
        "lbfgs_logistic_regression" or "lbfgs_poisson" or "lbfgs_maximum_entropy" => ("maximum_number_of_iterations", LbfgsIterations),
        _ => null,
    };

    /// <summary>The passes for a slice: the configured count scaled by <paramref name="sliceRows"/> / <paramref name="baseRows"/>, in [1, configured].</summary>
    public static int Scale(int configured, long sliceRows, long baseRows)
    {
        if (configured <= 1 || baseRows <= 0)
        {
            return Math.Max(1, configured);
        }

        var share = Math.Min(1.0, (double)sliceRows / baseRows);
        return (int)Math.Clamp(Math.Ceiling(configured * share), 1, configured);
    }

    /// <summary>
    /// The step's options with the pass count scaled to the slice, and what was decided (null when the trainer has no
    /// pass count or the production version records no training rows to scale by).
    /// </summary>
    public static (IReadOnlyDictionary<string, object> Options, string? Note) Apply(
        string trainer, IReadOnlyDictionary<string, object> options, long sliceRows, WarmStartBase start)
    {
        if (Of(trainer) is not { } count || start.TrainingRows is not { } baseRows)
        {
            return (options, null);
        }

        var (option, fallback) = count;
        var configured = options.TryGetValue(option, out var value) ? Convert.ToInt32(value, CultureInfo.InvariantCulture) : fallback;
        var passes = Scale(configured, sliceRows, baseRows);
        var scaled = new Dictionary<string, object>(options, StringComparer.Ordinal) { [option] = passes };
        var rate = "";
        if (trainer == OnlineGradientDescent)
        {
            // Its step size restarts at learning_rate with every fit; the base ended its own schedule far below it.
            var configuredRate = options.TryGetValue(LearningRate, out var given) ? Convert.ToDouble(given, CultureInfo.InvariantCulture) : OnlineGradientDescentRate;
            var share = Math.Min(1.0, (double)sliceRows / baseRows);
            scaled[LearningRate] = (float)(configuredRate * share);
            rate = string.Create(CultureInfo.InvariantCulture, $", learning_rate {configuredRate * share:G3} of {configuredRate:G3}");
        }

        var note = string.Create(CultureInfo.InvariantCulture,
            $"{option} {passes} of {configured}{rate}, scaled to the slice ({sliceRows:N0} rows against the {baseRows:N0} rows {start.TrainedFrom} was trained on)");
        return (scaled, note);
    }
}
