/// Bytes per weight of QLoRA's 4-bit NormalFloat storage with double quantisation (Dettmers et
/// al. 2023, section 3), from its block sizes (`CostModelConstants.nf4*`):
/// `(4 + 8 / 64 + 32 / (64 x 256)) / 8` bytes, about 4.127 bits per weight.
public enum NF4Storage {
    public static var bitsPerWeight: Double {
        CostModelConstants.nf4CodeBits
            + CostModelConstants.nf4ConstantBits / CostModelConstants.nf4BlockSize
            + CostModelConstants.nf4SecondConstantBits
                / (CostModelConstants.nf4BlockSize * CostModelConstants.nf4SecondBlockSize)
    }

    public static var bytesPerWeight: Double { bitsPerWeight / 8 }
}
