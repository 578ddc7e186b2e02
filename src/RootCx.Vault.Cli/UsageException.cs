namespace RootCx.Vault.Cli;

/// <summary>Input the tool cannot act on; reported as one line on stderr with exit code 2.</summary>
internal sealed class UsageException(string message) : Exception(message);
