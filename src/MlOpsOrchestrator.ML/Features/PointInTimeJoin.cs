namespace MlOpsOrchestrator.ML.Features;

/// <summary>
/// The streaming merge of label rows and events, both sorted by (entity, time): per entity, events at or before a label
/// row's time are added to the aggregator before the row is answered, so no event after the row's time is ever seen.
/// O(rows + events) after the sorts; memory is one entity's window.
/// </summary>
internal static class PointInTimeJoin
{
    /// <summary>
    /// Writes each label row's features into <paramref name="output"/> at <c>row * stride + offset</c>; a label record
    /// carries its row number as its one value. Returns the events read.
    /// </summary>
    public static long Run(SortedRecords labels, SortedRecords events, ViewAggregator aggregator, double[] output, int stride, int offset)
    {
        var values = new double[aggregator.Width];
        var hasEvent = events.Next();
        var entity = int.MinValue;
        long read = 0;
        while (labels.Next())
        {
            if (labels.Entity != entity)
            {
                entity = labels.Entity;
                aggregator.Reset();
                while (hasEvent && events.Entity < entity)
                {
                    hasEvent = events.Next();
                    read++;
                }
            }

            while (hasEvent && events.Entity == entity && events.Ticks <= labels.Ticks)
            {
                aggregator.Add(events.Ticks, events.Values);
                hasEvent = events.Next();
                read++;
            }

            aggregator.ValuesAt(labels.Ticks, values);
            var row = (long)labels.Values[0];
            values.CopyTo(output.AsSpan((int)(row * stride) + offset, values.Length));
        }

        return read;
    }
}
