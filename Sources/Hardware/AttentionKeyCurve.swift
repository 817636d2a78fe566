/// Which measured curve of flash attention's rate against the key length a part follows
/// (`accelerator.attention_key_curve` in a topology file): cuDNN's fused SDPA reaches its
/// long-key rate at different key lengths on Hopper, Blackwell and Blackwell Ultra (NVIDIA/
/// cudnn-frontend benchmark/sdpa_benchmark_training/results @3929da2: H200, GB200 and GB300),
/// and FlashAttention-2 on Ampere (Dao 2023, A100).
/// The curves themselves are CostModel's (`CostModelConstants.flashAttentionRates`); a file
/// without the key follows Hopper's, the one measured first.
public enum AttentionKeyCurve: String, Sendable, Hashable, Codable, CaseIterable {
    /// H200 (GH100), cuDNN 9.19.
    case hopper
    /// A100 (GA100), FlashAttention-2 (Dao 2023, "FlashAttention-2", Fig. 4); the Ampere and Ada
    /// parts whose PyTorch runs the same kernels take it.
    case ampere
    /// GB200 (B200 silicon), cuDNN 9.22.
    case blackwell
    /// GB300 (Blackwell Ultra: twice Blackwell's SFU exponential rate), cuDNN 9.22.
    case blackwellUltra = "blackwell-ultra"
}
