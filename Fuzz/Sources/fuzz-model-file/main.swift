import Foundation
import FuzzSupport
import Workloads

/// A Loom model file in YAML: read, validate, count.
@_cdecl("fuzz_model_file_main")
public func fuzz_model_file_main(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    Fuzz.run(argc, argv, fuzzModelFile)
}

func fuzzModelFile(_ data: Data) {
    if let model = try? ModelCatalog.parse(data, file: "model.yaml") {
        Fuzz.checkModel(model)
    }
}
