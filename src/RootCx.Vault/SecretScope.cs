namespace RootCx.Vault;

/// <summary>
/// Where a secret lives: the namespace of one application, or the shared platform namespace
/// <see cref="PlatformNamespace"/> read by integrations.
/// </summary>
/// <remarks>
/// An appId is 1 to <see cref="MaxAppIdLength"/> characters of <c>[a-z0-9_-]</c> starting with a letter or digit.
/// Lowercase only, so one app maps to one folder or row on every file system and collation; and never starting
/// with <c>_</c>, which is reserved for namespaces of the vault itself, so no appId can reach the platform scope.
/// Such a namespace is also a safe file name by construction.
/// </remarks>
public sealed class SecretScope : IEquatable<SecretScope>
{
    /// <summary>The namespace of platform secrets.</summary>
    public const string PlatformNamespace = "_platform";

    /// <summary>The longest appId accepted, in characters.</summary>
    public const int MaxAppIdLength = 64;

    private SecretScope(string @namespace) => Namespace = @namespace;

    /// <summary>Gets the shared platform scope.</summary>
    public static SecretScope Platform { get; } = new(PlatformNamespace);

    /// <summary>Gets the namespace: the appId, or <see cref="PlatformNamespace"/>.</summary>
    public string Namespace { get; }

    /// <summary>Gets whether this is the platform scope.</summary>
    public bool IsPlatform => ReferenceEquals(this, Platform);

    /// <summary>Validates <paramref name="appId"/> and returns the scope of that application.</summary>
    /// <param name="appId">The application id.</param>
    /// <returns>The application's scope.</returns>
    /// <exception cref="SecretValidationException">The appId is malformed or reserved; the message says which rule.</exception>
    public static SecretScope ForApp(string? appId)
    {
        string? error = Validate(appId);
        return error is null ? new SecretScope(appId!) : throw new SecretValidationException(SecretValidationKind.InvalidAppId, error);
    }

    /// <summary>Returns whether <paramref name="appId"/> is a valid, unreserved appId.</summary>
    /// <param name="appId">The candidate appId.</param>
    /// <returns><see langword="true"/> when <see cref="ForApp"/> would accept it.</returns>
    public static bool IsValidAppId(string? appId) => Validate(appId) is null;

    /// <summary>Returns the scope a store recorded under <paramref name="namespace"/>.</summary>
    /// <param name="namespace">A namespace previously taken from <see cref="Namespace"/>.</param>
    /// <returns>The platform scope or the application's scope.</returns>
    /// <exception cref="SecretValidationException">The namespace is neither the platform's nor a valid appId.</exception>
    public static SecretScope FromNamespace(string @namespace) =>
        @namespace == PlatformNamespace ? Platform : ForApp(@namespace);

    private static string? Validate(string? appId)
    {
        if (string.IsNullOrEmpty(appId))
        {
            return "An appId is required.";
        }

        if (appId[0] == '_')
        {
            return "AppIds starting with '_' are reserved for the vault's own namespaces (such as the platform scope).";
        }

        if (appId.Length > MaxAppIdLength)
        {
            return $"An appId must be at most {MaxAppIdLength} characters long.";
        }

        if (appId[0] == '-')
        {
            return "An appId must start with a lowercase letter or a digit.";
        }

        foreach (char c in appId)
        {
            if (!char.IsAsciiLetterLower(c) && !char.IsAsciiDigit(c) && c != '-' && c != '_')
            {
                return char.IsAsciiLetterUpper(c)
                    ? "An appId must be lowercase."
                    : "An appId may contain only lowercase ASCII letters, digits, '-' and '_'.";
            }
        }

        return null;
    }

    /// <inheritdoc />
    public bool Equals(SecretScope? other) => other is not null && Namespace == other.Namespace;

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as SecretScope);

    /// <inheritdoc />
    public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(Namespace);

    /// <summary>Returns the namespace.</summary>
    /// <returns>The appId, or <see cref="PlatformNamespace"/>.</returns>
    public override string ToString() => Namespace;
}
