using System.Globalization;
using MlOpsOrchestrator.ML.Data.Columns;
using MlOpsOrchestrator.ML.Data.Ingestion;
using MlOpsOrchestrator.Specs;
using MlOpsOrchestrator.Text;

namespace MlOpsOrchestrator.ML.Steps.DataPrep;

/// <summary>
/// Checks a classification label once all rows are read, and decides which class is positive for a binary task:
/// a boolean's <c>true</c>, a number's <c>1</c>, or the <c>positive:</c> class (then every other value is negative).
/// </summary>
internal static class LabelClasses
{
    /// <summary>The canonical spelling of <c>positive:</c> for the label's type, so <c>positive: 1</c> matches <c>1.</c>.</summary>
    public static string? Positive(ColumnPlan plan, string? positive)
    {
        if (positive is null)
        {
            return null;
        }

        if (plan.IsNumeric && ValueText.TryNumber(positive, out var number))
        {
            return ValueText.Canonical(number);
        }

        return plan.Type == ColumnType.Boolean && ValueText.TryBoolean(positive, out var flag) ? (flag ? "true" : "false") : positive;
    }

    /// <summary>The classes listed in <c>classes:</c>, spelled canonically for the label's type.</summary>
    public static IReadOnlyList<string>? Listed(ColumnPlan plan, IReadOnlyList<string>? classes) =>
        classes?.Select(c => Positive(plan, c)!).Distinct(StringComparer.Ordinal).ToList();

    /// <summary>Checks the binary label of the main (training) rows.</summary>
    public static void CheckBinary(CategoryColumn label, string? positive, Problems problems)
    {
        var present = Present(label);
        var name = label.Name;
        if (positive is not null)
        {
            if (!present.Contains(positive))
            {
                problems.Add($"the positive class '{positive}' never appears in the label '{name}' (its values: {List(present)})");
            }
            else if (present.Count < 2)
            {
                problems.Add(OneClass(label, present));
            }

            return;
        }

        if (present.Count < 2)
        {
            problems.Add(OneClass(label, present));
        }
        else if (present.All(c => c is "0" or "1") || present.All(c => c is "true" or "false"))
        {
            return;
        }
        else if (present.Count > 2)
        {
            problems.Add($"the binary label '{name}' has {present.Count} classes ({List(present)}); binary needs two, or name the positive class with 'positive:' in data.schema.{name}");
        }
        else
        {
            problems.Add($"the binary label '{name}' holds {List(present)}, not 0/1 or true/false; name the positive class with 'positive:' in data.schema.{name}");
        }
    }

    /// <summary>Test rows may only hold classes that mean something: with 0/1 or true/false labels, nothing else.</summary>
    public static void CheckBinaryTest(CategoryColumn label, CategoryColumn trainLabel, string? positive, Problems problems)
    {
        if (positive is not null)
        {
            // Every other value counts as negative, so a test value training never saw (a different spelling such as
            // '1.' for '1') would silently become a negative: report it instead.
            var known = Present(trainLabel).ToHashSet(StringComparer.Ordinal);
            var unknown = Present(label).Where(c => !known.Contains(c)).ToList();
            if (unknown.Count > 0)
            {
                problems.Add($"test_source: the binary label '{label.Name}' holds {List(unknown)}, which the training rows never hold (they hold {List([.. known])}); spell the classes alike in both files");
            }
            else if (!Present(label).Contains(positive))
            {
                problems.Add($"test_source: the binary label '{label.Name}' never holds the positive class '{positive}', so AUC and recall cannot be measured");
            }

            return;
        }

        var strays = Present(label).Where(c => c is not ("0" or "1" or "true" or "false")).ToList();
        if (strays.Count > 0)
        {
            problems.Add($"test_source: the binary label '{label.Name}' holds {List(strays)}, which is neither class");
        }
    }

    public static void CheckMulticlass(CategoryColumn label, Problems problems)
    {
        var present = Present(label);
        if (present.Count < 2)
        {
            problems.Add(OneClass(label, present));
        }
    }

    private static string OneClass(CategoryColumn label, List<string> present) =>
        present.Count == 0
            ? $"the label '{label.Name}' has no values"
            : string.Create(CultureInfo.InvariantCulture, $"the label '{label.Name}' has only one class ('{present[0]}') in {label.Count:N0} rows; classification needs at least two");

    private static List<string> Present(CategoryColumn label)
    {
        var seen = new bool[label.Dictionary.Values.Count];
        for (var row = 0; row < label.Count; row++)
        {
            if (label.Code(row) >= 0)
            {
                seen[label.Code(row)] = true;
            }
        }

        return label.Dictionary.Values.Where((_, code) => seen[code]).ToList();
    }

    private static string List(List<string> classes) => Echo.Quoted(classes, max: 10);
}
