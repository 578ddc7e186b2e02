using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace RootCx.Vault.Cryptography;

/// <summary>
/// GHASH computed as POLYVAL with PCLMULQDQ (RFC 8452, appendix A): GHASH(H, X₁…Xₙ) =
/// ByteReverse(POLYVAL(mulX(ByteReverse(H)), ByteReverse(X₁)…ByteReverse(Xₙ))). POLYVAL keeps the bit order the
/// carry-less multiply uses, so a product needs no bit reflection and reduces with two more multiplies
/// (Montgomery reduction by x⁻¹²⁸ modulo x¹²⁸ + x¹²⁷ + x¹²⁶ + x¹²¹ + 1). Every step is branch-free.
/// </summary>
internal static class Polyval
{
    /// <summary>Blocks hashed per reduction; the hash key holds this many powers.</summary>
    public const int Lanes = 4;

    private const int BlockSize = 16;

    // x¹²¹ + x¹²⁶ + x¹²⁷ = x⁶⁴ · 0xC200000000000000: the reduction constant.
    private const ulong ReductionConstant = 0xC200_0000_0000_0000;

    private static readonly Vector128<byte> ReverseBytes =
        Vector128.Create((byte)15, 14, 13, 12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0);

    public static bool IsSupported => Pclmulqdq.IsSupported && Ssse3.IsSupported;

    /// <summary>Converts between a GCM block and a POLYVAL field element (the conversion is its own inverse).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<ulong> FromGcm(Vector128<byte> block) => Ssse3.Shuffle(block, ReverseBytes).AsUInt64();

    /// <inheritdoc cref="FromGcm"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<byte> ToGcm(Vector128<ulong> element) => Ssse3.Shuffle(element.AsByte(), ReverseBytes);

    /// <summary>
    /// Fills <paramref name="powers"/> with H¹…H⁴ (in the dot-product sense) for the GCM hash key
    /// <paramref name="gcmHashKey"/> = AES(K, 0¹²⁸).
    /// </summary>
    public static void DerivePowers(Vector128<byte> gcmHashKey, Span<Vector128<ulong>> powers)
    {
        Vector128<ulong> h = MultiplyByX(FromGcm(gcmHashKey));
        powers[0] = h;
        for (int i = 1; i < powers.Length; i++)
        {
            powers[i] = Dot(powers[i - 1], h);
        }
    }

    /// <summary>
    /// Absorbs <paramref name="data"/> into <paramref name="state"/>, zero-padding the last partial block as GCM does.
    /// </summary>
    /// <param name="powers">H¹…H⁴ from <see cref="DerivePowers"/>.</param>
    /// <param name="state">The running hash.</param>
    /// <param name="data">The data: associated data or ciphertext.</param>
    public static Vector128<ulong> Absorb(ReadOnlySpan<Vector128<ulong>> powers, Vector128<ulong> state, ReadOnlySpan<byte> data)
    {
        Vector128<ulong> h1 = powers[0], h2 = powers[1], h3 = powers[2], h4 = powers[3];
        ref byte source = ref System.Runtime.InteropServices.MemoryMarshal.GetReference(data);
        int offset = 0;

        // (S ⊕ X₁)·H⁴ ⊕ X₂·H³ ⊕ X₃·H² ⊕ X₄·H equals four sequential steps, with one reduction instead of four.
        for (; data.Length - offset >= Lanes * BlockSize; offset += Lanes * BlockSize)
        {
            Product product = default;
            product.Add(state ^ Load(ref source, offset), h4);
            product.Add(Load(ref source, offset + BlockSize), h3);
            product.Add(Load(ref source, offset + (2 * BlockSize)), h2);
            product.Add(Load(ref source, offset + (3 * BlockSize)), h1);
            state = product.Reduce();
        }

        for (; data.Length - offset >= BlockSize; offset += BlockSize)
        {
            state = Dot(state ^ Load(ref source, offset), h1);
        }

        if (offset < data.Length)
        {
            Span<byte> padded = stackalloc byte[BlockSize];
            padded.Clear();
            data[offset..].CopyTo(padded);
            state = Dot(state ^ FromGcm(Vector128.Create<byte>(padded)), h1);
        }

        return state;
    }

    /// <summary>Absorbs GCM's final block: the bit lengths of the associated data and of the ciphertext.</summary>
    public static Vector128<ulong> AbsorbLengths(Vector128<ulong> h1, Vector128<ulong> state, int associatedDataLength, int textLength) =>
        Dot(state ^ Vector128.Create((ulong)textLength * 8, (ulong)associatedDataLength * 8), h1);

    /// <summary>a · b · x⁻¹²⁸.</summary>
    private static Vector128<ulong> Dot(Vector128<ulong> a, Vector128<ulong> b)
    {
        Product product = default;
        product.Add(a, b);
        return product.Reduce();
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<ulong> Load(ref byte source, int offset) =>
        FromGcm(Vector128.LoadUnsafe(ref source, (nuint)offset));

    /// <summary>v · x, reduced: a one-bit shift, folding the carry back with the polynomial's low terms.</summary>
    private static Vector128<ulong> MultiplyByX(Vector128<ulong> v)
    {
        ulong low = v.GetElement(0), high = v.GetElement(1);
        ulong carry = (ulong)((long)high >> 63); // all ones when x¹²⁷ is set, without a branch
        return Vector128.Create(
            (low << 1) ^ (carry & 1),
            ((high << 1) | (low >> 63)) ^ (carry & ReductionConstant));
    }

    /// <summary>A sum of unreduced 256-bit carry-less products.</summary>
    private struct Product
    {
        private Vector128<ulong> _low;
        private Vector128<ulong> _middle;
        private Vector128<ulong> _high;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Add(Vector128<ulong> a, Vector128<ulong> b)
        {
            _low ^= Pclmulqdq.CarrylessMultiply(a, b, 0x00);
            _high ^= Pclmulqdq.CarrylessMultiply(a, b, 0x11);
            _middle ^= Pclmulqdq.CarrylessMultiply(a, b, 0x01) ^ Pclmulqdq.CarrylessMultiply(a, b, 0x10);
        }

        /// <summary>
        /// Divides the 256-bit sum by x¹²⁸ modulo the polynomial: twice, the lowest 64 bits w are cancelled by adding
        /// w times the polynomial (which is 1 modulo x⁶⁴) and the result is shifted down 64 bits.
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public readonly Vector128<ulong> Reduce()
        {
            Vector128<ulong> low = _low ^ Sse2.ShiftLeftLogical128BitLane(_middle, 8);
            Vector128<ulong> high = _high ^ Sse2.ShiftRightLogical128BitLane(_middle, 8);
            Vector128<ulong> constant = Vector128.CreateScalarUnsafe(ReductionConstant);
            low = SwapHalves(low) ^ Pclmulqdq.CarrylessMultiply(low, constant, 0x00);
            low = SwapHalves(low) ^ Pclmulqdq.CarrylessMultiply(low, constant, 0x00);
            return high ^ low;
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static Vector128<ulong> SwapHalves(Vector128<ulong> v) => Sse2.Shuffle(v.AsUInt32(), 0x4E).AsUInt64();
    }
}
