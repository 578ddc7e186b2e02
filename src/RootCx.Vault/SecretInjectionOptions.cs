namespace RootCx.Vault;

/// <summary>How app secrets become a backend's environment variables.</summary>
/// <remarks>
/// Precedence, lowest first: the environment the runtime itself passes on, then platform secrets (only when
/// <see cref="IncludePlatformSecrets"/> is on), then the app's secrets. A runtime-owned variable
/// (<see cref="ReservedVariables"/>) is never replaced by a secret unless <see cref="AllowReservedOverride"/> is on;
/// either way the clash is reported in <see cref="SecretEnvironment.Conflicts"/> and logged.
/// </remarks>
public sealed class SecretInjectionOptions
{
    /// <summary>
    /// Gets the variables the runtime owns, compared ignoring case; a trailing <c>*</c> matches a prefix. They include
    /// the loader and interpreter hooks (LD_PRELOAD, NODE_OPTIONS…) through which a variable could run code.
    /// </summary>
    /// <value>The default value is PATH, HOME, USER, SHELL, LD_PRELOAD, LD_LIBRARY_PATH, DYLD_*, NODE_OPTIONS and ROOTCX_*.</value>
    public IList<string> ReservedVariables { get; } =
        ["PATH", "HOME", "USER", "SHELL", "LD_PRELOAD", "LD_LIBRARY_PATH", "DYLD_*", "NODE_OPTIONS", "ROOTCX_*"];

    /// <summary>Gets or sets whether a secret may replace a reserved variable (the clash is still reported).</summary>
    /// <value>The default value is <see langword="false"/>.</value>
    public bool AllowReservedOverride { get; set; }

    /// <summary>
    /// Gets or sets whether every platform secret is also put in every app's environment. Off by default (least
    /// privilege): platform secrets are for integrations, which reach them through their platformSecret mappings.
    /// </summary>
    /// <value>The default value is <see langword="false"/>.</value>
    public bool IncludePlatformSecrets { get; set; }

    internal bool IsReserved(string name) => ReservedVariables.Any(pattern => pattern.EndsWith('*')
        ? name.StartsWith(pattern[..^1], StringComparison.OrdinalIgnoreCase)
        : name.Equals(pattern, StringComparison.OrdinalIgnoreCase));
}
