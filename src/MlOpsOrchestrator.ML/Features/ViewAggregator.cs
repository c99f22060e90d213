using MlOpsOrchestrator.Specs;

namespace MlOpsOrchestrator.ML.Features;

/// <summary>
/// The chosen features of one view for one entity at a time. The offline join feeds it each entity's events in time
/// order and asks it at each label row's time; an online lookup feeds it one entity's events and asks it at "now":
/// the same code, so training and serving cannot compute a feature differently.
/// </summary>
internal sealed class ViewAggregator
{
    private readonly FeatureState[] _states;
    private readonly int[] _slotOf;

    public ViewAggregator(FeatureViewSpec view, IReadOnlyList<string> features)
    {
        ArgumentNullException.ThrowIfNull(view);
        var specs = features.Select(name => view.Feature(name) ?? throw new ArgumentException($"View '{view.Name}' has no feature '{name}'.", nameof(features))).ToList();
        Slots = SlotsOf(view);
        _states = [.. specs.Select(f => FeatureState.Create(f, view.Ttl))];
        _slotOf = [.. specs.Select(f => f.Column is null ? -1 : Slots.ToList().IndexOf(new EventSlot(f.Column, f.Aggregation == FeatureAggregation.DistinctCount)))];
    }

    /// <summary>The values each event carries for every feature of the view, in order (see <see cref="SlotsOf"/>).</summary>
    public IReadOnlyList<EventSlot> Slots { get; }

    public int Width => _states.Length;

    /// <summary>The event slots of a view: every aggregated column of every feature, once per way it is read.</summary>
    public static IReadOnlyList<EventSlot> SlotsOf(FeatureViewSpec view)
    {
        ArgumentNullException.ThrowIfNull(view);
        return [.. view.Features.Where(f => f.Column is not null)
            .Select(f => new EventSlot(f.Column!, f.Aggregation == FeatureAggregation.DistinctCount)).Distinct()];
    }

    /// <summary>Forgets the previous entity's events.</summary>
    public void Reset()
    {
        foreach (var state in _states)
        {
            state.Reset();
        }
    }

    /// <summary>Adds an event; events come in time order (equal times in source order).</summary>
    public void Add(long ticks, ReadOnlySpan<double> values)
    {
        for (var i = 0; i < _states.Length; i++)
        {
            _states[i].Add(ticks, _slotOf[i] < 0 ? 0 : values[_slotOf[i]]);
        }
    }

    /// <summary>The features as of <paramref name="ticks"/> (NaN: missing); times asked never go back for one entity.</summary>
    public void ValuesAt(long ticks, Span<double> output)
    {
        for (var i = 0; i < _states.Length; i++)
        {
            output[i] = _states[i].ValueAt(ticks);
        }
    }
}
