/// The one home of the Goodput module's constants, each with its source. (The module depends on
/// nothing, so its constants do not live in CostModelConstants.)
public enum GoodputConstants {
    /// Llama 3 405B pre-training snapshot: 54 days on up to 16,384 H100 GPUs, 466 job
    /// interruptions, 47 planned and 419 unexpected (Dubey et al. 2024, "The Llama 3 Herd of
    /// Models", section 3.3.4).
    public static let llama3Accelerators: Double = 16_384
    public static let llama3Days: Double = 54
    public static let llama3PlannedInterruptions: Int = 47

    /// Dubey et al. 2024, table 5: root causes of the 419 unexpected interruptions (counts as
    /// printed; the table's percentage column does not equal count / 419). The GPU, Network and
    /// Host categories (324 of 419, 77%) are hardware; the paper says "about 78%".
    public static let llama3Interruptions: [FailureRate.Component] = [
        .init(name: "Faulty GPU", category: "GPU", interruptions: 148, needsNodeReplacement: true),
        .init(name: "GPU HBM3 Memory", category: "GPU", interruptions: 72, needsNodeReplacement: true),
        .init(name: "Software Bug", category: "Dependency", interruptions: 54, needsNodeReplacement: false),
        .init(name: "Network Switch/Cable", category: "Network", interruptions: 35, needsNodeReplacement: true),
        .init(name: "Host Maintenance", category: "Unplanned Maintenance", interruptions: 32,
              needsNodeReplacement: false),
        .init(name: "GPU SRAM Memory", category: "GPU", interruptions: 19, needsNodeReplacement: true),
        .init(name: "GPU System Processor", category: "GPU", interruptions: 17, needsNodeReplacement: true),
        .init(name: "NIC", category: "Host", interruptions: 7, needsNodeReplacement: true),
        .init(name: "NCCL Watchdog Timeouts", category: "Unknown", interruptions: 7, needsNodeReplacement: false),
        .init(name: "Silent Data Corruption", category: "GPU", interruptions: 6, needsNodeReplacement: true),
        .init(name: "GPU Thermal Interface + Sensor", category: "GPU", interruptions: 6, needsNodeReplacement: true),
        .init(name: "SSD", category: "Host", interruptions: 3, needsNodeReplacement: true),
        .init(name: "Power Supply", category: "Host", interruptions: 3, needsNodeReplacement: true),
        .init(name: "Server Chassis", category: "Host", interruptions: 2, needsNodeReplacement: true),
        .init(name: "IO Expansion Board", category: "Host", interruptions: 2, needsNodeReplacement: true),
        .init(name: "Dependency", category: "Dependency", interruptions: 2, needsNodeReplacement: false),
        .init(name: "CPU", category: "Host", interruptions: 2, needsNodeReplacement: true),
        .init(name: "System Memory", category: "Host", interruptions: 2, needsNodeReplacement: true),
    ]

    /// Default failure detection time, seconds: MegaScale detects and localises a fault in under
    /// 10 minutes (Jiang et al. 2024, "MegaScale", NSDI, section 4: "within 10 minutes").
    public static let detectionSeconds: Double = 600
    /// Default time to reschedule the job and re-initialise it (process launch, NCCL communicator
    /// set-up) before the checkpoint is read, seconds: MegaScale is back at the pre-failure step
    /// within 15 minutes of the fault, detection included (Jiang et al. 2024, section 4), so 5 min.
    public static let restartSeconds: Double = 300
}
