using MlOpsOrchestrator.Cli;

return await MlOpsCli.RunAsync(args, Console.Out, Console.Error, CancellationToken.None);
