namespace RootCx.Vault.Cli;

/// <summary>A store or key problem the tool found itself; reported as one line on stderr with exit code 1.</summary>
internal sealed class OperatorException(string message) : Exception(message);
