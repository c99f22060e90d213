namespace MlOpsOrchestrator.Stores;

/// <summary>What became of one label sent as feedback.</summary>
public enum FeedbackStatus
{
    /// <summary>Stored, and its prediction is in the log.</summary>
    Accepted,

    /// <summary>Refused: the prediction already has a label (the first one stands).</summary>
    Duplicate,

    /// <summary>Stored and waiting: no prediction with that id (or key and time) is in the log yet; it counts once the prediction arrives.</summary>
    Unknown,
}
