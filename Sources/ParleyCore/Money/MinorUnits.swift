/// Exact arithmetic on minor units. Percent checks multiply instead of dividing, in double width,
/// so `10 %` of an odd balance is neither rounded nor able to overflow.
public enum MinorUnits {
    /// `part ≤ percent % of whole`, exactly: `part × 100 ≤ whole × percent`.
    public static func isWithin(percent: Int, part: Int64, of whole: Int64) -> Bool {
        let lhs = part.multipliedFullWidth(by: 100)
        let rhs = whole.multipliedFullWidth(by: Int64(percent))
        return (lhs.high, lhs.low) <= (rhs.high, rhs.low)
    }
}
