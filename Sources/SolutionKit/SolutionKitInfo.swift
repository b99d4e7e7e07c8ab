public enum SolutionKitInfo { public static let version = "0.1.0" }
