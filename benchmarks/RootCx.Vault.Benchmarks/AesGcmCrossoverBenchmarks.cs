using System.Security.Cryptography;
using BenchmarkDotNet.Attributes;
using RootCx.Vault.Cryptography;

namespace RootCx.Vault.Benchmarks;

/// <summary>
/// The in-process AES-NI/PCLMULQDQ cipher beside OpenSSL's AesGcm, both with the envelope's 25-byte associated data,
/// around <see cref="MasterKey.IntrinsicMaxLength"/>: the measurement behind that threshold.
/// </summary>
[BenchmarkCategory("Cipher")]
public class AesGcmCrossoverBenchmarks
{
    private byte[] _plaintext = null!;
    private byte[] _ciphertext = null!;
    private byte[] _decrypted = null!;
    private readonly byte[] _nonce = new byte[12];
    private readonly byte[] _tag = new byte[16];
    private readonly byte[] _associatedData = new byte[25];
    private AesGcm _openSsl = null!;
    private IntrinsicAesGcm _intrinsic = null!;

    [Params(4096, 8192, 16384)]
    public int Size { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        byte[] key = RandomNumberGenerator.GetBytes(32);
        _openSsl = new AesGcm(key, 16);
        _intrinsic = new IntrinsicAesGcm(key);
        _plaintext = RandomNumberGenerator.GetBytes(Size);
        _ciphertext = new byte[Size];
        _decrypted = new byte[Size];
        OpenSslSeal();
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _openSsl.Dispose();
        _intrinsic.Dispose();
    }

    [Benchmark(Baseline = true)]
    [BenchmarkCategory("Seal")]
    public void OpenSslSeal() => _openSsl.Encrypt(_nonce, _plaintext, _ciphertext, _tag, _associatedData);

    [Benchmark]
    [BenchmarkCategory("Seal")]
    public void IntrinsicSeal() => _intrinsic.Encrypt(_nonce, _plaintext, _ciphertext, _tag, _associatedData);

    [Benchmark(Baseline = true)]
    [BenchmarkCategory("Open")]
    public void OpenSslOpen() => _openSsl.Decrypt(_nonce, _ciphertext, _tag, _decrypted, _associatedData);

    [Benchmark]
    [BenchmarkCategory("Open")]
    public bool IntrinsicOpen() => _intrinsic.TryDecrypt(_nonce, _ciphertext, _tag, _decrypted, _associatedData);
}
