//! PDF's affine matrices (`[a b c d e f]`, a point being the row `[x y 1]`), one implementation
//! for the stamp's page geometry, the import's painted boxes, the text layer and the pictures of
//! scanned pages.

/// An affine matrix `[a b c d e f]` in PDF's row-vector convention.
pub type Matrix = [f64; 6];

pub const IDENTITY: Matrix = [1.0, 0.0, 0.0, 1.0, 0.0, 0.0];

/// `first` then `second`.
pub fn multiply(first: Matrix, second: Matrix) -> Matrix {
    let [a, b, c, d, e, f] = first;
    let [a2, b2, c2, d2, e2, f2] = second;
    [a * a2 + b * c2, a * b2 + b * d2, c * a2 + d * c2, c * b2 + d * d2, e * a2 + f * c2 + e2, e * b2 + f * d2 + f2]
}

/// The matrix that undoes `m`; the identity for a matrix that flattens the plane.
pub fn invert(m: Matrix) -> Matrix {
    let [a, b, c, d, e, f] = m;
    let det = a * d - b * c;
    if det.abs() < 1e-12 {
        return IDENTITY;
    }
    let (ia, ib, ic, id) = (d / det, -b / det, -c / det, a / det);
    [ia, ib, ic, id, -(e * ia + f * ic), -(e * ib + f * id)]
}

/// Where the point `(x, y)` goes under `m`.
pub fn apply(m: Matrix, x: f64, y: f64) -> (f64, f64) {
    (m[0] * x + m[2] * y + m[4], m[1] * x + m[3] * y + m[5])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_matrix_then_its_inverse_leaves_a_point_where_it_was() {
        let turn_and_move = [0.0, 1.0, -1.0, 0.0, 612.0, 0.0];
        let scale = [2.0, 0.0, 0.0, 2.0, 0.0, 0.0];
        let both = multiply(turn_and_move, scale);
        assert_eq!(apply(both, 10.0, 20.0), (2.0 * (612.0 - 20.0), 2.0 * 10.0));
        let back = apply(invert(both), 1184.0, 20.0);
        assert!((back.0 - 10.0).abs() < 1e-9 && (back.1 - 20.0).abs() < 1e-9, "{back:?}");
        assert_eq!(invert([0.0; 6]), IDENTITY);
    }
}
