using System.Security.Cryptography;
using System.Text;

namespace RootCx.Vault;

/// <summary>
/// One decrypted secret, held in a buffer that <see cref="Dispose"/> clears. <see cref="ToString"/> is redacted.
/// </summary>
public sealed class SecretValue : IDisposable
{
    private byte[]? _utf8;

    internal SecretValue(SecretName name, byte[] utf8)
    {
        Name = name.Value;
        _utf8 = utf8;
    }

    /// <summary>Gets the secret's name.</summary>
    public string Name { get; }

    /// <summary>Gets the plaintext as UTF-8, valid until disposed.</summary>
    /// <exception cref="ObjectDisposedException">The value was disposed.</exception>
    public ReadOnlySpan<byte> Utf8 => _utf8 ?? throw new ObjectDisposedException(nameof(SecretValue));

    /// <summary>
    /// Returns the plaintext as a string, for APIs that only take strings (such as environment variables).
    /// A string cannot be cleared: call this at the last moment and keep no reference.
    /// </summary>
    /// <returns>The plaintext.</returns>
    /// <exception cref="ObjectDisposedException">The value was disposed.</exception>
    public string RevealString() => Encoding.UTF8.GetString(Utf8);

    /// <summary>Clears the plaintext buffer.</summary>
    public void Dispose()
    {
        byte[]? utf8 = Interlocked.Exchange(ref _utf8, null);
        if (utf8 is not null)
        {
            CryptographicOperations.ZeroMemory(utf8);
        }
    }

    /// <summary>Names the secret and hides its value.</summary>
    /// <returns>For example <c>STRIPE_KEY=[redacted]</c>.</returns>
    public override string ToString() => $"{Name}=[redacted]";
}
