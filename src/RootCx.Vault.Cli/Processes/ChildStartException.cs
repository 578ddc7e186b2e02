namespace RootCx.Vault.Cli.Processes;

/// <summary>The command given to <c>run</c> could not be started; exit code 127, as a shell would.</summary>
internal sealed class ChildStartException(string message) : Exception(message);
