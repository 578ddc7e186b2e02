namespace RootCx.Vault;

/// <summary>
/// A validated secret name. Secret names are environment-variable names (<c>[A-Za-z_][A-Za-z0-9_]*</c>,
/// at most <see cref="MaxLength"/> characters) because app secrets are injected as environment variables.
/// </summary>
/// <remarks>
/// Names preserve their case but compare ignoring it, the way Windows environment variables and SQL Server's
/// default collation do, so <c>Stripe_Key</c> and <c>STRIPE_KEY</c> are the same secret in every store.
/// An instance can only be obtained through <see cref="Parse"/>, so a store never sees an unvalidated name.
/// </remarks>
public sealed class SecretName : IEquatable<SecretName>
{
    /// <summary>The longest name accepted, in characters.</summary>
    public const int MaxLength = 128;

    private SecretName(string value) => Value = value;

    /// <summary>Gets the name with the case it was given.</summary>
    public string Value { get; }

    /// <summary>Validates <paramref name="name"/> and returns it as a <see cref="SecretName"/>.</summary>
    /// <param name="name">The candidate name.</param>
    /// <returns>The validated name.</returns>
    /// <exception cref="SecretValidationException">The name breaks a naming rule; the message says which.</exception>
    public static SecretName Parse(string? name)
    {
        string? error = Validate(name);
        return error is null ? new SecretName(name!) : throw new SecretValidationException(SecretValidationKind.InvalidSecretName, error);
    }

    /// <summary>Returns whether <paramref name="name"/> is a valid secret name.</summary>
    /// <param name="name">The candidate name.</param>
    /// <returns><see langword="true"/> when <see cref="Parse"/> would accept it.</returns>
    public static bool IsValid(string? name) => Validate(name) is null;

    // The messages describe the rule and the position, never the input: a user may paste a value into the name field.
    private static string? Validate(string? name)
    {
        if (string.IsNullOrEmpty(name))
        {
            return "A secret name is required.";
        }

        if (name.Length > MaxLength)
        {
            return $"A secret name must be at most {MaxLength} characters long.";
        }

        if (char.IsAsciiDigit(name[0]))
        {
            return "A secret name must not start with a digit (names are environment-variable names: [A-Za-z_][A-Za-z0-9_]*).";
        }

        for (int i = 0; i < name.Length; i++)
        {
            char c = name[i];
            if (!char.IsAsciiLetterOrDigit(c) && c != '_')
            {
                return $"A secret name may contain only ASCII letters, digits and '_' (names are environment-variable names: [A-Za-z_][A-Za-z0-9_]*); character {i + 1} is not allowed.";
            }
        }

        return null;
    }

    /// <inheritdoc />
    public bool Equals(SecretName? other) =>
        other is not null && string.Equals(Value, other.Value, StringComparison.OrdinalIgnoreCase);

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as SecretName);

    /// <inheritdoc />
    public override int GetHashCode() => StringComparer.OrdinalIgnoreCase.GetHashCode(Value);

    /// <summary>Returns the name (names are not secret).</summary>
    /// <returns>The name as given.</returns>
    public override string ToString() => Value;
}
