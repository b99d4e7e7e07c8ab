import Foundation

/// A grid of small grey images with a caption under each (the most confidently wrong digits, say), every
/// image embedded as a PNG data URI so the SVG stands alone and loads nothing.
public struct ImageGridChart: SVGChart {
    public struct Tile: Sendable {
        public var image: GrayImage
        public var caption: String
        public init(image: GrayImage, caption: String) {
            self.image = image
            self.caption = caption
        }
    }

    public var title: String
    public var tiles: [Tile]
    public var columns: Int
    public var imageSize: Double

    public init(title: String, tiles: [Tile], columns: Int = 6, imageSize: Double = 84) {
        self.title = title
        self.tiles = tiles
        self.columns = max(1, columns)
        self.imageSize = imageSize
    }

    public func svg() -> String {
        let cell = imageSize + 28
        let rows = (tiles.count + columns - 1) / columns
        let width = Double(columns) * cell, height = 40 + Double(rows) * (cell + 8)
        var canvas = SVGCanvas(width: width, height: height)
        canvas.text(title, x: width / 2, y: 24, size: 15, anchor: .middle, bold: true, role: .title)
        for (position, tile) in tiles.enumerated() {
            let x = Double(position % columns) * cell + (cell - imageSize) / 2
            let y = 40 + Double(position / columns) * (cell + 8)
            if let png = try? PNGCodec.encode(tile.image) {
                canvas.image(x: x, y: y, width: imageSize, height: imageSize,
                             dataURI: "data:image/png;base64," + Data(png).base64EncodedString())
            }
            canvas.rect(x: x, y: y, width: imageSize, height: imageSize, fill: "none", stroke: "#999999")
            canvas.text(tile.caption, x: x + imageSize / 2, y: y + imageSize + 16, size: 12, anchor: .middle)
        }
        return canvas.document(hasAxes: false)
    }
}
