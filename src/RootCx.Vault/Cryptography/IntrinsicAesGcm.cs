using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using System.Security.Cryptography;
using AesNi = System.Runtime.Intrinsics.X86.Aes;

namespace RootCx.Vault.Cryptography;

/// <summary>
/// AES-256-GCM (NIST SP 800-38D with 96-bit nonces and 128-bit tags) computed in process with AES-NI and PCLMULQDQ.
/// A vault's values are small, and at small sizes <see cref="AesGcm"/>'s per-call set-up in OpenSSL costs more than
/// the cipher itself; this type has none. Its output is bit for bit that of <see cref="AesGcm"/>, which tests check
/// against NIST's vectors and against <see cref="AesGcm"/> at every length around the block and lane boundaries.
/// The instance is immutable after construction, so one serves every thread. Decryption authenticates before it
/// writes a byte of plaintext. Round keys and hash powers live in a pinned array zeroed on dispose; an operation that
/// overlaps a dispose throws <see cref="ObjectDisposedException"/> rather than return output made with zeroed keys
/// (a ciphertext nobody could open).
/// </summary>
internal sealed class IntrinsicAesGcm : IDisposable
{
    private const int NonceSize = 12;
    private const int TagSize = 16;

    private const int Rounds = 14;
    private const int BlockSize = 16;
    private const int Lanes = 4;
    private const int FirstTextCounter = 2; // counter 1 (J₀) masks the tag

    // Round keys 0…14, then the hash powers H¹…H⁴.
    private readonly Vector128<byte>[] _state = GC.AllocateArray<Vector128<byte>>(Rounds + 1 + Polyval.Lanes, pinned: true);
    private int _disposed;

    public IntrinsicAesGcm(ReadOnlySpan<byte> key)
    {
        if (!IsSupported)
        {
            throw new PlatformNotSupportedException("AES-NI, PCLMULQDQ and SSE4.1 are required.");
        }

        ArgumentOutOfRangeException.ThrowIfNotEqual(key.Length, 32, nameof(key));
        ExpandKey(key, _state);
        Polyval.DerivePowers(EncryptBlock(ref RoundKeys, Vector128<byte>.Zero), HashPowers);
    }

    public static bool IsSupported => AesNi.IsSupported && Sse41.IsSupported && Polyval.IsSupported;

    private ref Vector128<byte> RoundKeys => ref MemoryMarshal.GetArrayDataReference(_state);

    private Span<Vector128<ulong>> HashPowers =>
        MemoryMarshal.Cast<Vector128<byte>, Vector128<ulong>>(_state.AsSpan(Rounds + 1));

    /// <summary>Encrypts like <see cref="AesGcm.Encrypt(ReadOnlySpan{byte}, ReadOnlySpan{byte}, Span{byte}, Span{byte}, ReadOnlySpan{byte})"/>.</summary>
    public void Encrypt(ReadOnlySpan<byte> nonce, ReadOnlySpan<byte> plaintext, Span<byte> ciphertext, Span<byte> tag, ReadOnlySpan<byte> associatedData)
    {
        CheckSizes(nonce, plaintext.Length, ciphertext.Length, tag.Length);
        ThrowIfDisposed();
        Vector128<uint> j0 = InitialCounter(nonce);
        ApplyKeyStream(ref RoundKeys, j0, plaintext, ciphertext);
        ComputeTag(j0, associatedData, ciphertext).CopyTo(tag);
        if (WasDisposedMeanwhile())
        {
            CryptographicOperations.ZeroMemory(ciphertext);
            CryptographicOperations.ZeroMemory(tag);
            ThrowIfDisposed();
        }
    }

    /// <summary>
    /// Decrypts and verifies. Returns <see langword="false"/> when the tag does not match, leaving
    /// <paramref name="plaintext"/> untouched.
    /// </summary>
    public bool TryDecrypt(ReadOnlySpan<byte> nonce, ReadOnlySpan<byte> ciphertext, ReadOnlySpan<byte> tag, Span<byte> plaintext, ReadOnlySpan<byte> associatedData)
    {
        CheckSizes(nonce, ciphertext.Length, plaintext.Length, tag.Length);
        ThrowIfDisposed();
        Vector128<uint> j0 = InitialCounter(nonce);

        // One 16-byte XOR and one test of the whole: the time taken does not depend on where the tags differ.
        Vector128<byte> difference = ComputeTag(j0, associatedData, ciphertext) ^ Vector128.Create(tag);
        bool authentic = difference == Vector128<byte>.Zero;
        if (authentic)
        {
            ApplyKeyStream(ref RoundKeys, j0, ciphertext, plaintext);
        }

        if (WasDisposedMeanwhile())
        {
            CryptographicOperations.ZeroMemory(plaintext);
            ThrowIfDisposed();
        }

        return authentic;
    }

    /// <summary>Marks the instance disposed, then zeroes the keys: the fence orders the two for every thread.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            CryptographicOperations.ZeroMemory(MemoryMarshal.AsBytes(_state.AsSpan()));
        }
    }

    private void ThrowIfDisposed() => ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);

    /// <summary>
    /// Whether a dispose may have zeroed the keys while this operation read them. The full fence keeps those reads
    /// before the flag's: a zero seen by them was stored after the flag was set, so the flag reads as set.
    /// </summary>
    private bool WasDisposedMeanwhile()
    {
        Interlocked.MemoryBarrier();
        return Volatile.Read(ref _disposed) != 0;
    }

    private static void CheckSizes(ReadOnlySpan<byte> nonce, int sourceLength, int destinationLength, int tagLength)
    {
        ArgumentOutOfRangeException.ThrowIfNotEqual(nonce.Length, NonceSize, nameof(nonce));
        ArgumentOutOfRangeException.ThrowIfNotEqual(tagLength, TagSize, "tag");
        ArgumentOutOfRangeException.ThrowIfNotEqual(destinationLength, sourceLength, "destination");
    }

    private Vector128<byte> ComputeTag(Vector128<uint> j0, ReadOnlySpan<byte> associatedData, ReadOnlySpan<byte> ciphertext)
    {
        ReadOnlySpan<Vector128<ulong>> powers = HashPowers;
        Vector128<ulong> hash = Polyval.Absorb(powers, Vector128<ulong>.Zero, associatedData);
        hash = Polyval.Absorb(powers, hash, ciphertext);
        hash = Polyval.AbsorbLengths(powers[0], hash, associatedData.Length, ciphertext.Length);
        return EncryptBlock(ref RoundKeys, j0.AsByte()) ^ Polyval.ToGcm(hash);
    }

    /// <summary>J₀ = nonce ‖ 0³¹ ‖ 1; the last 32 bits are a big-endian block counter.</summary>
    private static Vector128<uint> InitialCounter(ReadOnlySpan<byte> nonce) =>
        Vector128.Create(
            BinaryPrimitives.ReadUInt64LittleEndian(nonce),
            BinaryPrimitives.ReadUInt32LittleEndian(nonce[8..]) | ((ulong)BinaryPrimitives.ReverseEndianness(1u) << 32)).AsUInt32();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<byte> CounterBlock(Vector128<uint> j0, uint counter) =>
        j0.WithElement(3, BinaryPrimitives.ReverseEndianness(counter)).AsByte();

    /// <summary>
    /// XORs <paramref name="source"/> with the key stream from counter 2 on (CTR mode), four blocks at a time so the
    /// AES units stay busy. Source and destination are the same length and either the same memory or disjoint.
    /// </summary>
    private static void ApplyKeyStream(ref Vector128<byte> roundKeys, Vector128<uint> j0, ReadOnlySpan<byte> source, Span<byte> destination)
    {
        ref byte input = ref MemoryMarshal.GetReference(source);
        ref byte output = ref MemoryMarshal.GetReference(destination);
        uint counter = FirstTextCounter;
        int offset = 0;
        for (; source.Length - offset >= Lanes * BlockSize; offset += Lanes * BlockSize, counter += Lanes)
        {
            Vector128<byte> whitening = roundKeys;
            Vector128<byte> b0 = CounterBlock(j0, counter) ^ whitening;
            Vector128<byte> b1 = CounterBlock(j0, counter + 1) ^ whitening;
            Vector128<byte> b2 = CounterBlock(j0, counter + 2) ^ whitening;
            Vector128<byte> b3 = CounterBlock(j0, counter + 3) ^ whitening;
            for (int round = 1; round < Rounds; round++)
            {
                Vector128<byte> roundKey = Unsafe.Add(ref roundKeys, round);
                b0 = AesNi.Encrypt(b0, roundKey);
                b1 = AesNi.Encrypt(b1, roundKey);
                b2 = AesNi.Encrypt(b2, roundKey);
                b3 = AesNi.Encrypt(b3, roundKey);
            }

            Vector128<byte> lastKey = Unsafe.Add(ref roundKeys, Rounds);
            XorStore(AesNi.EncryptLast(b0, lastKey), ref input, ref output, offset);
            XorStore(AesNi.EncryptLast(b1, lastKey), ref input, ref output, offset + BlockSize);
            XorStore(AesNi.EncryptLast(b2, lastKey), ref input, ref output, offset + (2 * BlockSize));
            XorStore(AesNi.EncryptLast(b3, lastKey), ref input, ref output, offset + (3 * BlockSize));
        }

        for (; source.Length - offset >= BlockSize; offset += BlockSize, counter++)
        {
            XorStore(EncryptBlock(ref roundKeys, CounterBlock(j0, counter)), ref input, ref output, offset);
        }

        if (offset < source.Length)
        {
            Span<byte> keyStream = stackalloc byte[BlockSize];
            EncryptBlock(ref roundKeys, CounterBlock(j0, counter)).CopyTo(keyStream);
            for (int i = offset; i < source.Length; i++)
            {
                destination[i] = (byte)(source[i] ^ keyStream[i - offset]);
            }

            CryptographicOperations.ZeroMemory(keyStream);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void XorStore(Vector128<byte> keyStream, ref byte input, ref byte output, int offset) =>
        (keyStream ^ Vector128.LoadUnsafe(ref input, (nuint)offset)).StoreUnsafe(ref output, (nuint)offset);

    private static Vector128<byte> EncryptBlock(ref Vector128<byte> roundKeys, Vector128<byte> block)
    {
        block ^= roundKeys;
        for (int round = 1; round < Rounds; round++)
        {
            block = AesNi.Encrypt(block, Unsafe.Add(ref roundKeys, round));
        }

        return AesNi.EncryptLast(block, Unsafe.Add(ref roundKeys, Rounds));
    }

    /// <summary>
    /// The AES-256 key schedule (FIPS 197, 5.2) with AESKEYGENASSIST: each new round key is the one two steps back,
    /// prefix-XORed across its four words, XOR the assist word of the previous key (RotWord, SubWord and the round
    /// constant for even keys; SubWord alone for odd keys). The round constant must be an immediate, hence the unrolling.
    /// </summary>
    private static void ExpandKey(ReadOnlySpan<byte> key, Span<Vector128<byte>> roundKeys)
    {
        Vector128<byte> even = roundKeys[0] = Vector128.Create(key[..BlockSize]);
        Vector128<byte> odd = roundKeys[1] = Vector128.Create(key[BlockSize..]);
        roundKeys[2] = even = NextEven(even, AesNi.KeygenAssist(odd, 0x01));
        roundKeys[3] = odd = NextOdd(odd, AesNi.KeygenAssist(even, 0x00));
        roundKeys[4] = even = NextEven(even, AesNi.KeygenAssist(odd, 0x02));
        roundKeys[5] = odd = NextOdd(odd, AesNi.KeygenAssist(even, 0x00));
        roundKeys[6] = even = NextEven(even, AesNi.KeygenAssist(odd, 0x04));
        roundKeys[7] = odd = NextOdd(odd, AesNi.KeygenAssist(even, 0x00));
        roundKeys[8] = even = NextEven(even, AesNi.KeygenAssist(odd, 0x08));
        roundKeys[9] = odd = NextOdd(odd, AesNi.KeygenAssist(even, 0x00));
        roundKeys[10] = even = NextEven(even, AesNi.KeygenAssist(odd, 0x10));
        roundKeys[11] = odd = NextOdd(odd, AesNi.KeygenAssist(even, 0x00));
        roundKeys[12] = even = NextEven(even, AesNi.KeygenAssist(odd, 0x20));
        roundKeys[13] = NextOdd(odd, AesNi.KeygenAssist(even, 0x00));
        roundKeys[14] = NextEven(even, AesNi.KeygenAssist(roundKeys[13], 0x40));
    }

    private static Vector128<byte> NextEven(Vector128<byte> previous, Vector128<byte> assist) =>
        PrefixXor(previous) ^ Sse2.Shuffle(assist.AsUInt32(), 0xFF).AsByte(); // word 3: RotWord(SubWord(w)) ⊕ rcon

    private static Vector128<byte> NextOdd(Vector128<byte> previous, Vector128<byte> assist) =>
        PrefixXor(previous) ^ Sse2.Shuffle(assist.AsUInt32(), 0xAA).AsByte(); // word 2: SubWord(w)

    /// <summary>Word i becomes w₀ ⊕ … ⊕ wᵢ.</summary>
    private static Vector128<byte> PrefixXor(Vector128<byte> w)
    {
        Vector128<byte> shifted = Sse2.ShiftLeftLogical128BitLane(w, 4);
        w ^= shifted;
        shifted = Sse2.ShiftLeftLogical128BitLane(shifted, 4);
        w ^= shifted;
        shifted = Sse2.ShiftLeftLogical128BitLane(shifted, 4);
        return w ^ shifted;
    }
}
