import Collectives
import Testing

@Suite struct ByteSizeTests {
    @Test(arguments: [("4", 4), ("1K", 1024), ("16M", 16 << 20), ("256M", 256 << 20), ("1G", 1 << 30),
                      ("2k", 2048), ("8KiB", 8192), ("3MB", 3 << 20), ("0", 0), (" 64 ", 64)])
    func parsesSizesWithPowerOf1024Suffixes(text: String, bytes: Int) {
        #expect(ByteSize(parsing: text)?.bytes == bytes)
    }

    @Test(arguments: ["", "K", "12X", "-4", "1.5M", "4 K", "99999999999999999999", "9999999999999G", "1KK"])
    func rejectsJunkAndOverflowWithoutTrapping(text: String) {
        #expect(ByteSize(parsing: text) == nil)
    }

    @Test func printsTheShortestExactSpelling() {
        #expect(ByteSize(bytes: 256 << 20).description == "256M")
        #expect(ByteSize(bytes: 1536).description == "1536")
        #expect(ByteSize(bytes: 3 << 10).description == "3K")
        #expect(ByteSize(bytes: 0).description == "0")
    }
}
