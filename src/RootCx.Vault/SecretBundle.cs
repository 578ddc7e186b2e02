using System.Collections;

namespace RootCx.Vault;

/// <summary>
/// The decrypted secrets of one scope, ordered by name. Disposing the bundle clears every value in it.
/// <see cref="ToString"/> lists names only.
/// </summary>
public sealed class SecretBundle : IReadOnlyList<SecretValue>, IDisposable
{
    private readonly SecretValue[] _values;

    internal SecretBundle(SecretScope scope, SecretValue[] values)
    {
        Scope = scope;
        _values = values;
    }

    /// <summary>Gets the scope the secrets were read from.</summary>
    public SecretScope Scope { get; }

    /// <inheritdoc />
    public int Count => _values.Length;

    /// <inheritdoc />
    public SecretValue this[int index] => _values[index];

    /// <summary>Finds a secret by name, ignoring case.</summary>
    /// <param name="name">The name to look for.</param>
    /// <returns>The secret, or <see langword="null"/> when the bundle has none of that name.</returns>
    public SecretValue? Find(string name) =>
        Array.Find(_values, v => string.Equals(v.Name, name, StringComparison.OrdinalIgnoreCase));

    /// <inheritdoc />
    public IEnumerator<SecretValue> GetEnumerator() => ((IEnumerable<SecretValue>)_values).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>Clears every value.</summary>
    public void Dispose()
    {
        foreach (SecretValue value in _values)
        {
            value.Dispose();
        }
    }

    /// <summary>Names the scope and the secrets, never a value.</summary>
    /// <returns>For example <c>SecretBundle(shop: API_KEY, DB_URL)</c>.</returns>
    public override string ToString() => $"SecretBundle({Scope}: {string.Join(", ", _values.Select(v => v.Name))})";
}
