namespace MlOpsOrchestrator.Cli.Tests.Fuzz;

/// <summary>What a route does with an accepted request; the writes get only malformed requests on their real targets.</summary>
internal enum FuzzRouteKind
{
    Read,
    Predict,
    StartRun,
    Approve,
    Reject,
    OtherPost,
    DashboardPage,
    DashboardApprove,
    DashboardReject,
    DashboardPromote,
    DashboardRollback,
    DashboardOtherPost,
}
