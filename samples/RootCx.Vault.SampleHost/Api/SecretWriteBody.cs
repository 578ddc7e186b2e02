using System.Buffers;
using System.Security.Cryptography;
using System.Text.Json;

namespace RootCx.Vault.SampleHost.Api;

/// <summary>
/// The body of a set request, <c>{ "key": "...", "value": "..." }</c>, read strictly and without ever turning the value
/// into a string: its unescaped UTF-8 goes into a pooled buffer that <see cref="Dispose"/> clears, as does the raw body.
/// </summary>
public sealed class SecretWriteBody : IDisposable
{
    /// <summary>The largest body accepted: the largest value with every character escaped as <c>\uXXXX</c>, and room for the key.</summary>
    public const int MaxBytes = (ISecretVault.MaxValueUtf8Bytes * 6) + 1024;

    private byte[]? _value;
    private int _valueLength;

    private SecretWriteBody()
    {
    }

    public string Key { get; private set; } = string.Empty;

    public ReadOnlyMemory<byte> Utf8Value => _value.AsMemory(0, _valueLength);

    /// <summary>Reads and validates the request body.</summary>
    /// <exception cref="BadBodyException">The body is not a JSON object with exactly a string key and a string value.</exception>
    /// <exception cref="BodyTooLargeException">The body is larger than <see cref="MaxBytes"/>.</exception>
    public static async Task<SecretWriteBody> ReadAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (request.ContentLength > MaxBytes)
        {
            throw new BodyTooLargeException();
        }

        if (!request.HasJsonContentType())
        {
            throw new BadBodyException("The body must be JSON (Content-Type: application/json).");
        }

        byte[] buffer = ArrayPool<byte>.Shared.Rent(MaxBytes + 1);
        try
        {
            int length = 0;
            int read;
            while ((read = await request.Body.ReadAsync(buffer.AsMemory(length), cancellationToken)) > 0)
            {
                length += read;
                if (length > MaxBytes)
                {
                    throw new BodyTooLargeException();
                }
            }

            return Parse(buffer.AsSpan(0, length));
        }
        finally
        {
            CryptographicOperations.ZeroMemory(buffer);
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    public void Dispose()
    {
        byte[]? value = Interlocked.Exchange(ref _value, null);
        if (value is not null)
        {
            CryptographicOperations.ZeroMemory(value);
            ArrayPool<byte>.Shared.Return(value);
        }
    }

    // Messages describe the expected shape only: a JsonException message can quote the input, so it is never shown.
    private static SecretWriteBody Parse(ReadOnlySpan<byte> json)
    {
        // Created first so that every failure below clears whatever part of the value was already copied.
        var body = new SecretWriteBody();
        try
        {
            bool seenKey = false;
            var reader = new Utf8JsonReader(json, new JsonReaderOptions { MaxDepth = 2 });
            Expect(reader.Read() && reader.TokenType == JsonTokenType.StartObject, "The body must be a JSON object: { \"key\": \"...\", \"value\": \"...\" }.");
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                bool isKey = reader.ValueTextEquals("key"u8);
                Expect(isKey || reader.ValueTextEquals("value"u8), "Only the fields \"key\" and \"value\" are allowed.");
                Expect(isKey ? !seenKey : body._value is null, "Each field may appear only once.");
                Expect(reader.Read() && reader.TokenType == JsonTokenType.String, "\"key\" and \"value\" must be JSON strings.");
                if (isKey)
                {
                    body.Key = reader.GetString()!;
                    seenKey = true;
                }
                else
                {
                    // Unescaping never lengthens a string, so the escaped length bounds the copy.
                    body._value = ArrayPool<byte>.Shared.Rent(Math.Max(1, reader.ValueSpan.Length));
                    body._valueLength = reader.CopyString(body._value);
                }
            }

            // One more read makes the reader reject anything after the object (it throws on trailing data).
            Expect(!reader.Read(), "The body must be one JSON object.");
            Expect(seenKey, "The field \"key\" is required.");
            Expect(body._value is not null, "The field \"value\" is required.");
            return body;
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException)
        {
            body.Dispose();
            throw new BadBodyException("The body is not valid JSON.");
        }
        catch
        {
            body.Dispose();
            throw;
        }
    }

    private static void Expect(bool condition, string message)
    {
        if (!condition)
        {
            throw new BadBodyException(message);
        }
    }
}

/// <summary>A malformed request body; the message describes the expected shape, never the input.</summary>
public sealed class BadBodyException(string message) : Exception(message);

/// <summary>A request body over <see cref="SecretWriteBody.MaxBytes"/>.</summary>
public sealed class BodyTooLargeException() : Exception($"The body must be at most {SecretWriteBody.MaxBytes} bytes.");
