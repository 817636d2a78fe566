/// Bytes per weight of QLoRA's 4-bit NormalFloat storage (Dettmers et al. 2023, section 3), from
/// its block sizes (`CostModelConstants.nf4*`): with double quantisation
/// `(4 + 8 / 64 + 32 / (64 x 256)) / 8` bytes, about 4.127 bits per weight; without it (the
/// recipe's `nf4DoubleQuantisation == false`: bitsandbytes' `compress_statistics=False`) one fp32
/// absmax per block of 64, `(4 + 32 / 64) / 8` bytes, 4.5 bits.
public enum NF4Storage {
    public static var bitsPerWeight: Double { bitsPerWeight(doubleQuantised: true) }

    public static func bitsPerWeight(doubleQuantised: Bool) -> Double {
        let constants = doubleQuantised
            ? CostModelConstants.nf4ConstantBits / CostModelConstants.nf4BlockSize
                + CostModelConstants.nf4SecondConstantBits
                    / (CostModelConstants.nf4BlockSize * CostModelConstants.nf4SecondBlockSize)
            : CostModelConstants.nf4SecondConstantBits / CostModelConstants.nf4BlockSize
        return CostModelConstants.nf4CodeBits + constants
    }

    public static var bytesPerWeight: Double { bitsPerWeight / 8 }

    /// Bytes per weight of `recipe`'s NF4 storage.
    public static func bytesPerWeight(recipe: TrainingRecipe) -> Double {
        bitsPerWeight(doubleQuantised: recipe.nf4DoubleQuantisation ?? true) / 8
    }
}
