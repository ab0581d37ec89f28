//! A matrix of signatures, one row per document.

use ndarray::Array2;

use super::estimate::estimate_jaccard;
use super::params::SketchParams;
use crate::error::{Error, Result};

/// Signatures of many documents: an `n_docs × num_perm` matrix of `u32` slots.
#[derive(Debug, Clone, PartialEq)]
pub struct SignatureMatrix {
    params: SketchParams,
    data: Array2<u32>,
}

impl SignatureMatrix {
    /// Wraps row-major slots (`rows × params.num_perm` values).
    pub fn from_flat(params: SketchParams, flat: Vec<u32>) -> Result<Self> {
        let k = params.num_perm;
        if k == 0 || !flat.len().is_multiple_of(k) {
            return Err(Error::config(
                "signatures",
                format!("{} values do not make rows of {k}", flat.len()),
            ));
        }
        let rows = flat.len() / k;
        let data = Array2::from_shape_vec((rows, k), flat)
            .map_err(|e| Error::config("signatures", e.to_string()))?;
        Ok(SignatureMatrix { params, data })
    }

    /// The parameters the signatures were made with.
    pub fn params(&self) -> SketchParams {
        self.params
    }

    /// Number of signatures.
    pub fn len(&self) -> usize {
        self.data.nrows()
    }

    /// Whether there are no signatures.
    pub fn is_empty(&self) -> bool {
        self.data.nrows() == 0
    }

    /// The signature of document `i` as a slice.
    pub fn row(&self, i: usize) -> &[u32] {
        let k = self.params.num_perm;
        &self.as_slice()[i * k..(i + 1) * k]
    }

    /// `(documents, num_perm)`.
    pub fn shape(&self) -> (usize, usize) {
        self.data.dim()
    }

    /// All slots, row-major (`shape().0 × shape().1` values): what a numpy array or an
    /// Arrow buffer can be made from without a copy.
    pub fn as_slice(&self) -> &[u32] {
        self.data.as_slice().expect("standard layout")
    }

    /// The slots, row-major, without a copy.
    pub fn into_flat(self) -> Vec<u32> {
        let (flat, offset) = self.data.into_raw_vec_and_offset();
        debug_assert!(offset.is_none_or(|o| o == 0));
        flat
    }

    /// Estimated Jaccard similarity of documents `i` and `j`.
    pub fn jaccard(&self, i: usize, j: usize) -> f64 {
        estimate_jaccard(self.row(i), self.row(j))
    }

    /// Appends the rows of another matrix made with the same parameters.
    pub fn merge(&mut self, other: &SignatureMatrix) -> Result<()> {
        self.params.check_compatible(&other.params)?;
        self.data
            .append(ndarray::Axis(0), other.data.view())
            .map_err(|e| Error::config("signatures", e.to_string()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::minhash::SketchKind;

    #[test]
    fn rows_and_merge() {
        let p = SketchParams {
            num_perm: 2,
            seed: 1,
            kind: SketchKind::Classic,
        };
        let mut m = SignatureMatrix::from_flat(p, vec![1, 2, 1, 3]).unwrap();
        assert_eq!(m.row(1), &[1, 3]);
        assert_eq!(m.jaccard(0, 1), 0.5);
        m.merge(&SignatureMatrix::from_flat(p, vec![5, 6]).unwrap())
            .unwrap();
        assert_eq!(m.len(), 3);
        assert_eq!(m.shape(), (3, 2));
        assert_eq!(m.as_slice(), &[1, 2, 1, 3, 5, 6]);
        assert_eq!(m.clone().into_flat(), vec![1, 2, 1, 3, 5, 6]);
        let other = SignatureMatrix::from_flat(
            SketchParams {
                num_perm: 2,
                seed: 2,
                kind: SketchKind::Classic,
            },
            vec![5, 6],
        )
        .unwrap();
        assert!(
            m.merge(&other)
                .unwrap_err()
                .to_string()
                .contains("different seed")
        );
        assert!(SignatureMatrix::from_flat(p, vec![1, 2, 3]).is_err());
        // Signatures of another sketch never mix, even with the same slots and seed.
        let oph = SignatureMatrix::from_flat(
            SketchParams {
                kind: SketchKind::Oph,
                ..p
            },
            vec![5, 6],
        )
        .unwrap();
        let e = m.merge(&oph).unwrap_err().to_string();
        assert!(e.contains("sketch") && e.contains("oph-densified/1"), "{e}");
    }
}
