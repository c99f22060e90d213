using MlOpsOrchestrator.Specs;

namespace MlOpsOrchestrator.Planning;

/// <summary>
/// The <c>needs</c> DAG of a pipeline. Pure functions over the step list: order, parallel groups, cycles, ancestry.
/// Unknown names in <c>needs</c> are ignored here (the validator reports them).
/// </summary>
public sealed class StepGraph
{
    private readonly IReadOnlyList<StepSpec> _steps;
    private readonly Dictionary<string, StepSpec> _byId;

    public StepGraph(IReadOnlyList<StepSpec> steps)
    {
        _steps = steps;
        _byId = new Dictionary<string, StepSpec>(StringComparer.Ordinal);
        foreach (var step in steps)
        {
            _byId.TryAdd(step.Id, step);
        }
    }

    public IReadOnlyList<StepSpec> Steps => _steps;

    private IEnumerable<StepSpec> NeedsOf(StepSpec step) =>
        step.Needs.Where(_byId.ContainsKey).Select(n => _byId[n]);

    /// <summary>The first cycle found, as the ids along it with the first repeated at the end (a, b, a); null when acyclic.</summary>
    public IReadOnlyList<string>? FindCycle()
    {
        var state = new Dictionary<string, int>(StringComparer.Ordinal);
        var stack = new List<string>();
        foreach (var step in _steps)
        {
            var cycle = Visit(step, state, stack);
            if (cycle is not null)
            {
                return cycle;
            }
        }

        return null;
    }

    private List<string>? Visit(StepSpec step, Dictionary<string, int> state, List<string> stack)
    {
        if (state.TryGetValue(step.Id, out var s))
        {
            return s == 1 ? [.. stack[stack.IndexOf(step.Id)..], step.Id] : null;
        }

        state[step.Id] = 1;
        stack.Add(step.Id);
        foreach (var need in NeedsOf(step))
        {
            var cycle = Visit(need, state, stack);
            if (cycle is not null)
            {
                return cycle;
            }
        }

        stack.RemoveAt(stack.Count - 1);
        state[step.Id] = 2;
        return null;
    }

    /// <summary>
    /// Steps grouped by depth: every step of a group depends only on earlier groups, so a group's steps may run in
    /// parallel. Within a group, file order. Requires an acyclic graph.
    /// </summary>
    public IReadOnlyList<IReadOnlyList<StepSpec>> ParallelGroups()
    {
        var depth = new Dictionary<string, int>(StringComparer.Ordinal);
        int Depth(StepSpec step) => depth.TryGetValue(step.Id, out var d)
            ? d
            : depth[step.Id] = NeedsOf(step).Select(Depth).DefaultIfEmpty(-1).Max() + 1;

        return _steps.GroupBy(Depth).OrderBy(g => g.Key).Select(g => (IReadOnlyList<StepSpec>)g.ToList()).ToList();
    }

    /// <summary>Topological order: groups in order, file order inside a group.</summary>
    public IReadOnlyList<StepSpec> Order() => ParallelGroups().SelectMany(g => g).ToList();

    /// <summary>Every step <paramref name="id"/> depends on, directly or not.</summary>
    public IReadOnlySet<string> Ancestors(string id)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var pending = new Stack<StepSpec>(_byId.TryGetValue(id, out var start) ? NeedsOf(start) : []);
        while (pending.TryPop(out var step))
        {
            if (seen.Add(step.Id))
            {
                foreach (var need in NeedsOf(step))
                {
                    pending.Push(need);
                }
            }
        }

        return seen;
    }

    /// <summary>
    /// The graph restricted to <paramref name="ids"/> (a trigger's <c>steps:</c>): only those steps run, and a need on a
    /// step outside the subset is dropped, because that step is not part of this run.
    /// </summary>
    public StepGraph Subset(IReadOnlyCollection<string> ids)
    {
        var kept = _steps.Where(s => ids.Contains(s.Id))
            .Select(s => s with { Needs = s.Needs.Where(ids.Contains).ToList() })
            .ToList();
        return new StepGraph(kept);
    }
}
