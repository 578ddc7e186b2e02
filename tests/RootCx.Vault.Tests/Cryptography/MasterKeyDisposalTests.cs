using RootCx.Vault.Cryptography;
using RootCx.Vault.KeyLoading;
using RootCx.Vault.Testing;

namespace RootCx.Vault.Tests.Cryptography;

/// <summary>Key bytes and the ciphers made from them are released on every path, and only once.</summary>
public class MasterKeyDisposalTests
{
    private static readonly SecretScope Shop = SecretScope.ForApp("shop");
    private static readonly SecretName ApiKey = SecretName.Parse("API_KEY");

    [Test]
    public void Disposing_a_key_twice_is_harmless()
    {
        MasterKey key = Key(TestKeys.Primary);
        SecretEnvelope.Seal(key, Shop, ApiKey, [1, 2, 3]);

        key.Dispose();

        Assert.DoesNotThrow(key.Dispose);
    }

    [Test]
    public void Threads_that_come_and_go_leave_no_cipher_behind()
    {
        using MasterKey key = Key(TestKeys.Primary);
        for (int i = 0; i < 20; i++)
        {
            var thread = new Thread(() => SecretEnvelope.Seal(key, Shop, ApiKey, [1, 2, 3]));
            thread.Start();
            thread.Join();
        }

        Assert.That(key.PooledCiphers, Is.EqualTo(1), "one at a time needs one cipher, whatever the thread");
    }

    [Test]
    public void A_ring_refusing_a_duplicate_key_disposes_every_key_it_was_given()
    {
        MasterKey active = Key(TestKeys.Primary), previous = Key(TestKeys.Secondary), duplicate = Key(TestKeys.Primary);

        Assert.Throws<MasterKeyException>(() => _ = new MasterKeyRing(active, [previous, duplicate]));

        AssertDisposed(active);
        AssertDisposed(previous);
        AssertDisposed(duplicate);
    }

    [Test]
    public void A_ring_given_the_same_key_object_twice_disposes_it()
    {
        MasterKey key = Key(TestKeys.Primary);

        Assert.Throws<MasterKeyException>(() => _ = new MasterKeyRing(key, [key]));

        AssertDisposed(key);
    }

    /// <summary>
    /// KeyRingLoader passes the previous keys as a lazy Select over FromHex: a malformed one throws while the ring reads
    /// them, after the active key and the earlier previous keys were made.
    /// </summary>
    [Test]
    public void A_ring_whose_previous_keys_fail_to_load_disposes_the_keys_it_already_holds()
    {
        MasterKey active = Key(TestKeys.Primary);
        var loaded = new List<MasterKey>();
        IEnumerable<MasterKey> previous = new[] { TestKeys.Secondary, "not a key" }.Select(hex =>
        {
            MasterKey key = Key(hex);
            loaded.Add(key);
            return key;
        });

        Assert.Throws<MasterKeyException>(() => _ = new MasterKeyRing(active, previous));

        AssertDisposed(active);
        Assert.That(loaded, Has.Count.EqualTo(1));
        AssertDisposed(loaded[0]);
    }

    private static MasterKey Key(string hex) => MasterKey.FromHex(hex, "test");

    /// <summary>The key bytes are zero, and sealing fails rather than use a cipher made from them.</summary>
    private static void AssertDisposed(MasterKey key)
    {
        char[] hex = new char[MasterKey.HexLength];
        key.WriteHex(hex);
        Assert.Multiple(() =>
        {
            Assert.That(hex, Is.All.EqualTo('0'), $"{key} is zeroed");
            Assert.Throws<ObjectDisposedException>(() => SecretEnvelope.Seal(key, Shop, ApiKey, [1, 2, 3]), $"{key} refuses to seal");
        });
    }
}
