/// One colour per quantity across every chart of a report (issue 18: the same colour meant
/// throughput in one chart and TP communication in another). Okabe-Ito colours first
/// (Okabe & Ito 2008, "Color Universal Design"), then Paul Tol's muted scheme
/// (personal.sron.nl/~pault) for the rest; every colour appears once.
enum SeriesPalette {
    /// Reference lines (ideal scaling, no failures) are dashed grey in every chart.
    static let reference = "#555555"

    static let colors: [String: String] = [
        "throughput": "#0072B2", "MFU": "#E69F00", "scaling efficiency": "#009E73",
        "with failures": "#CC79A7",
        "compute": "#56B4E9", "recompute": "#F0E442", "pipeline bubble": "#BBBBBB",
        "TP comm": "#D55E00", "PP comm": "#882255", "DP comm": "#117733", "CP comm": "#AA4499",
        "EP comm": "#44AA99", "optimizer": "#444444",
        "weights": "#332288", "gradients": "#88CCEE", "optimizer states": "#DDCC77",
        "activations": "#999933", "other": "#DDDDDD",
    ]

    /// The colour of `quantity` (a key of `colors`); black for an unknown one.
    static func color(_ quantity: String) -> String { colors[quantity] ?? "#000000" }
}
