/// Scales all gradients together so that their global L2 norm is at most `maxNorm`
/// (as `torch.nn.utils.clip_grad_norm_`), keeping the update direction. Returns the norm before clipping.
@discardableResult
public func clipGradients(_ parameters: [Parameter], maxGlobalNorm maxNorm: Float) -> Float {
    precondition(maxNorm > 0, "clipGradients: maxGlobalNorm must be positive, got \(maxNorm)")
    var squared = 0.0
    for parameter in parameters { squared += parameter.gradient.squaredSum() }
    let norm = Float(squared.squareRoot())
    if norm > maxNorm {
        let scale = maxNorm / (norm + 1e-6)
        for parameter in parameters { parameter.gradient *= scale }
    }
    return norm
}
