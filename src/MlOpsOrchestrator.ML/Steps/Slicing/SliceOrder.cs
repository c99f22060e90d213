namespace MlOpsOrchestrator.ML.Steps.Slicing;

/// <summary>Sorts a column's slices: intervals or numbers in value order, text in ordinal order, missing last.</summary>
internal readonly record struct SliceOrder(int Group, double Number, string Text) : IComparable<SliceOrder>
{
    public int CompareTo(SliceOrder other) =>
        Group != other.Group ? Group.CompareTo(other.Group)
        : Number != other.Number ? Number.CompareTo(other.Number)
        : string.CompareOrdinal(Text, other.Text);
}
