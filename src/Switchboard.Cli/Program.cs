using Switchboard.Cli;

return await CliApp.RunAsync(args, CliEnvironment.FromProcess());
