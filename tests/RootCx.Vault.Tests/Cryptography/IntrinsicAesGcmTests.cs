using System.Security.Cryptography;
using RootCx.Vault.Cryptography;
using RootCx.Vault.Testing;

namespace RootCx.Vault.Tests.Cryptography;

/// <summary>
/// The in-process AES-256-GCM must be indistinguishable from OpenSSL's: NIST's vectors, then byte-for-byte agreement
/// with <see cref="AesGcm"/> at every length around the block and lane boundaries, then tamper and misuse checks.
/// </summary>
public class IntrinsicAesGcmTests
{
    // Plaintext lengths: every length to four lanes of four blocks and a bit, then sizes either side of powers of two
    // and the vault's 32,000-byte value limit.
    private static readonly int[] TextLengths = [.. Enumerable.Range(0, 80), 127, 128, 129, 255, 256, 257, 1023, 1024, 1025, 4095, 32_000];
    private static readonly int[] AssociatedDataLengths = [0, 1, 15, 16, 17, 31, 48, 63, 64, 65, 79, 199];

    [SetUp]
    public void RequireTheInstructions() =>
        Assume.That(IntrinsicAesGcm.IsSupported, "this CPU lacks AES-NI or PCLMULQDQ; MasterKey uses AesGcm alone");

    /// <summary>The AES-256 cases of "The Galois/Counter Mode of Operation" (McGrew and Viega), test cases 13 to 16.</summary>
    [TestCase("0000000000000000000000000000000000000000000000000000000000000000", "000000000000000000000000", "", "", "",
        "530f8afbc74536b9a963b4f1c4cb738b")]
    [TestCase("0000000000000000000000000000000000000000000000000000000000000000", "000000000000000000000000",
        "00000000000000000000000000000000", "", "cea7403d4d606b6e074ec5d3baf39d18", "d0d1c8a799996bf0265b98b5d48ab919")]
    [TestCase("feffe9928665731c6d6a8f9467308308feffe9928665731c6d6a8f9467308308", "cafebabefacedbaddecaf888",
        "d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a721c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba637b391aafd255",
        "",
        "522dc1f099567d07f47f37a32a84427d643a8cdcbfe5c0c97598a2bd2555d1aa8cb08e48590dbb3da7b08b1056828838c5f61e6393ba7a0abcc9f662898015ad",
        "b094dac5d93471bdec1a502270e3cc6c")]
    [TestCase("feffe9928665731c6d6a8f9467308308feffe9928665731c6d6a8f9467308308", "cafebabefacedbaddecaf888",
        "d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a721c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba637b39",
        "feedfacedeadbeeffeedfacedeadbeefabaddad2",
        "522dc1f099567d07f47f37a32a84427d643a8cdcbfe5c0c97598a2bd2555d1aa8cb08e48590dbb3da7b08b1056828838c5f61e6393ba7a0abcc9f662",
        "76fc6ece0f4e1768cddf8853bb2d551b")]
    public void Matches_the_published_test_vectors(string key, string nonce, string plaintext, string associatedData, string ciphertext, string tag)
    {
        using var cipher = new IntrinsicAesGcm(Convert.FromHexString(key));
        byte[] sealedText = new byte[plaintext.Length / 2];
        byte[] sealedTag = new byte[16];
        cipher.Encrypt(Convert.FromHexString(nonce), Convert.FromHexString(plaintext), sealedText, sealedTag, Convert.FromHexString(associatedData));

        byte[] opened = new byte[sealedText.Length];
        bool authentic = cipher.TryDecrypt(Convert.FromHexString(nonce), sealedText, sealedTag, opened, Convert.FromHexString(associatedData));

        Assert.Multiple(() =>
        {
            Assert.That(Convert.ToHexStringLower(sealedText), Is.EqualTo(ciphertext));
            Assert.That(Convert.ToHexStringLower(sealedTag), Is.EqualTo(tag));
            Assert.That(authentic, Is.True);
            Assert.That(Convert.ToHexStringLower(opened), Is.EqualTo(plaintext));
        });
    }

    [Test]
    public void Agrees_with_AesGcm_at_every_length_in_both_directions()
    {
        var random = new Random(20261129);
        byte[] key = RandomBytes(random, 32);
        using var cipher = new IntrinsicAesGcm(key);
        using var reference = new AesGcm(key, 16);

        foreach (int textLength in TextLengths)
        {
            foreach (int associatedDataLength in AssociatedDataLengths)
            {
                byte[] nonce = RandomBytes(random, 12);
                byte[] plaintext = RandomBytes(random, textLength);
                byte[] associatedData = RandomBytes(random, associatedDataLength);
                byte[] ours = new byte[textLength], ourTag = new byte[16], theirs = new byte[textLength], theirTag = new byte[16];
                cipher.Encrypt(nonce, plaintext, ours, ourTag, associatedData);
                reference.Encrypt(nonce, plaintext, theirs, theirTag, associatedData);

                byte[] openedByUs = new byte[textLength], openedByThem = new byte[textLength];
                bool weOpenTheirs = cipher.TryDecrypt(nonce, theirs, theirTag, openedByUs, associatedData);
                reference.Decrypt(nonce, ours, ourTag, openedByThem, associatedData);

                string at = $"text {textLength} B, associated data {associatedDataLength} B";
                Assert.That(ours, Is.EqualTo(theirs), at);
                Assert.That(ourTag, Is.EqualTo(theirTag), at);
                Assert.That(weOpenTheirs, Is.True, at);
                Assert.That(openedByUs, Is.EqualTo(plaintext), at);
                Assert.That(openedByThem, Is.EqualTo(plaintext), at);
            }
        }
    }

    [Test]
    public void Flipping_any_bit_of_nonce_ciphertext_tag_or_associated_data_fails_and_writes_no_plaintext()
    {
        var random = new Random(7);
        using var cipher = new IntrinsicAesGcm(RandomBytes(random, 32));
        byte[] nonce = RandomBytes(random, 12), plaintext = RandomBytes(random, 70), associatedData = RandomBytes(random, 25);
        byte[] ciphertext = new byte[plaintext.Length], tag = new byte[16];
        cipher.Encrypt(nonce, plaintext, ciphertext, tag, associatedData);

        foreach (byte[] part in new[] { nonce, ciphertext, tag, associatedData })
        {
            for (int bit = 0; bit < part.Length * 8; bit++)
            {
                part[bit / 8] ^= (byte)(1 << (bit % 8));
                byte[] destination = new byte[ciphertext.Length];
                Array.Fill(destination, (byte)0xAA);

                bool authentic = cipher.TryDecrypt(nonce, ciphertext, tag, destination, associatedData);

                part[bit / 8] ^= (byte)(1 << (bit % 8));
                Assert.That(authentic, Is.False, $"bit {bit} of a {part.Length}-byte part");
                Assert.That(destination, Is.All.EqualTo(0xAA), $"bit {bit} of a {part.Length}-byte part");
            }
        }

        Assert.That(cipher.TryDecrypt(nonce, ciphertext, tag, new byte[ciphertext.Length], associatedData), Is.True, "the untouched message still opens");
    }

    [Test]
    public void Works_in_place()
    {
        var random = new Random(3);
        using var cipher = new IntrinsicAesGcm(RandomBytes(random, 32));
        byte[] nonce = RandomBytes(random, 12), plaintext = RandomBytes(random, 100);
        byte[] buffer = (byte[])plaintext.Clone(), tag = new byte[16];

        cipher.Encrypt(nonce, buffer, buffer, tag, []);
        Assert.That(buffer, Is.Not.EqualTo(plaintext));
        Assert.That(cipher.TryDecrypt(nonce, buffer, tag, buffer, []), Is.True);
        Assert.That(buffer, Is.EqualTo(plaintext));
    }

    [Test]
    public void Master_keys_use_the_intrinsics_unless_the_OpenSsl_only_switch_is_set()
    {
        try
        {
            AppContext.SetSwitch(MasterKey.OpenSslOnlySwitch, true);
            using MasterKey openSslOnly = MasterKey.FromHex(TestKeys.Primary, "test");
            AppContext.SetSwitch(MasterKey.OpenSslOnlySwitch, false);
            using MasterKey byDefault = MasterKey.FromHex(TestKeys.Primary, "test");

            Assert.That(openSslOnly.UsesIntrinsics, Is.False);
            Assert.That(byDefault.UsesIntrinsics, Is.True);
        }
        finally
        {
            AppContext.SetSwitch(MasterKey.OpenSslOnlySwitch, false);
        }
    }

    [Test]
    public void A_disposed_instance_refuses_work()
    {
        var cipher = new IntrinsicAesGcm(new byte[32]);
        cipher.Dispose();
        cipher.Dispose();

        Assert.Multiple(() =>
        {
            Assert.Throws<ObjectDisposedException>(() => cipher.Encrypt(new byte[12], new byte[4], new byte[4], new byte[16], []));
            Assert.Throws<ObjectDisposedException>(() => cipher.TryDecrypt(new byte[12], new byte[4], new byte[16], new byte[4], []));
        });
    }

    /// <summary>
    /// Dispose zeroes the round keys. A seal that overlapped it must fail, never hand back a ciphertext made with
    /// half-zeroed keys, which nobody could open: the vault would store it and lose the value.
    /// </summary>
    [Test]
    public void A_seal_that_overlaps_dispose_either_fails_or_produces_an_openable_ciphertext()
    {
        byte[] key = RandomNumberGenerator.GetBytes(32);
        using var reference = new AesGcm(key, 16);
        byte[] nonce = new byte[12], plaintext = new byte[256];
        int sealedDuringDispose = 0;

        for (int round = 0; round < 300; round++)
        {
            var cipher = new IntrinsicAesGcm(key);
            var results = new System.Collections.Concurrent.ConcurrentBag<(byte[] Ciphertext, byte[] Tag)>();
            using var started = new ManualResetEventSlim();
            var sealer = new Thread(() =>
            {
                started.Set();
                for (int i = 0; i < 200; i++)
                {
                    byte[] ciphertext = new byte[plaintext.Length], tag = new byte[16];
                    try
                    {
                        cipher.Encrypt(nonce, plaintext, ciphertext, tag, []);
                    }
                    catch (ObjectDisposedException)
                    {
                        return;
                    }

                    results.Add((ciphertext, tag));
                }
            });
            sealer.Start();
            started.Wait();
            Thread.SpinWait(round * 20);
            cipher.Dispose();
            sealer.Join();

            foreach ((byte[] ciphertext, byte[] tag) in results)
            {
                Assert.DoesNotThrow(() => reference.Decrypt(nonce, ciphertext, tag, new byte[plaintext.Length]), $"round {round}");
                sealedDuringDispose++;
            }
        }

        Assert.That(sealedDuringDispose, Is.GreaterThan(0), "the sealer ran before the dispose at least once");
    }

    [Test]
    public void Rejects_wrong_sizes()
    {
        using var cipher = new IntrinsicAesGcm(new byte[32]);
        Assert.Multiple(() =>
        {
            Assert.Throws<ArgumentOutOfRangeException>(() => _ = new IntrinsicAesGcm(new byte[16]));
            Assert.Throws<ArgumentOutOfRangeException>(() => cipher.Encrypt(new byte[8], new byte[4], new byte[4], new byte[16], []));
            Assert.Throws<ArgumentOutOfRangeException>(() => cipher.Encrypt(new byte[12], new byte[4], new byte[5], new byte[16], []));
            Assert.Throws<ArgumentOutOfRangeException>(() => cipher.Encrypt(new byte[12], new byte[4], new byte[4], new byte[12], []));
            Assert.Throws<ArgumentOutOfRangeException>(() => cipher.TryDecrypt(new byte[12], new byte[4], new byte[16], new byte[3], []));
        });
    }

    private static byte[] RandomBytes(Random random, int length)
    {
        byte[] bytes = new byte[length];
        random.NextBytes(bytes);
        return bytes;
    }
}
