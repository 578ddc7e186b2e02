using System.Buffers.Binary;
using System.Security.Cryptography;
using RootCx.Vault.Storage;

namespace RootCx.Vault.Testing;

/// <summary>Fixed master keys and envelope-shaped bytes for tests.</summary>
public static class TestKeys
{
    /// <summary>The key the golden envelopes are sealed with. Test data only.</summary>
    public const string Primary = "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f";

    public const string Secondary = "f0e1d2c3b4a5968778695a4b3c2d1e0ff0e1d2c3b4a5968778695a4b3c2d1e0f";

    /// <summary>The key id docs/FORMAT.md defines: the first four bytes, big-endian, of HMAC-SHA256(key, "RootCx.Vault/key-id/v1").</summary>
    public static MasterKeyId IdOf(string hex) =>
        new(BinaryPrimitives.ReadUInt32BigEndian(HMACSHA256.HashData(Convert.FromHexString(hex), "RootCx.Vault/key-id/v1"u8)));

    /// <summary>
    /// Records both test keys in a store, as a vault's first start would, so a test can write fake envelopes under
    /// either straight to the store.
    /// </summary>
    public static async Task RecordInAsync(ISecretStore store)
    {
        await store.AddKeyIdAsync(IdOf(Primary), admittedBy: null);
        await store.AddKeyIdAsync(IdOf(Secondary), admittedBy: IdOf(Primary));
    }

    /// <summary>Bytes shaped like a version 1 envelope under <paramref name="keyId"/>, with random content.</summary>
    public static byte[] FakeEnvelope(MasterKeyId keyId, int payloadLength = 16)
    {
        byte[] envelope = new byte[1 + 4 + 12 + payloadLength + 16];
        envelope[0] = 1;
        BinaryPrimitives.WriteUInt32BigEndian(envelope.AsSpan(1), keyId.Value);
        RandomNumberGenerator.Fill(envelope.AsSpan(5));
        return envelope;
    }
}
