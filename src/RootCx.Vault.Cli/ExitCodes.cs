namespace RootCx.Vault.Cli;

/// <summary>The exit codes every command shares, so scripts can tell a typo from a broken store.</summary>
internal static class ExitCodes
{
    public const int Success = 0;

    /// <summary>A store or key problem, a damaged record, or nothing to act on.</summary>
    public const int Failure = 1;

    /// <summary>Bad input: an unknown option, a malformed store, app id, name or value.</summary>
    public const int Usage = 2;

    /// <summary>
    /// A conflict: a conditional <c>set</c> or <c>delete</c> (<c>--if-version</c>, <c>--create-only</c>) found the secret
    /// changed and wrote nothing, or <c>import</c> finished but left conflicts (secrets newer in the store) untouched.
    /// </summary>
    public const int Conflicts = 3;

    /// <summary>What a shell returns when the command to run cannot be started.</summary>
    public const int CommandNotFound = 127;
}
