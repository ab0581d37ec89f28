//! Compressed sparse rows of `f32` weights.

/// A sparse matrix in CSR form: row `i` holds `indices[indptr[i]..indptr[i+1]]` (sorted
/// column numbers) and the matching `data`.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct CsrMatrix {
    indptr: Vec<usize>,
    indices: Vec<u32>,
    data: Vec<f32>,
    cols: usize,
}

impl CsrMatrix {
    /// An empty matrix with `cols` columns.
    pub fn new(cols: usize) -> Self {
        CsrMatrix {
            indptr: vec![0],
            indices: Vec::new(),
            data: Vec::new(),
            cols,
        }
    }

    /// Appends a row given as (column, value) pairs sorted by column.
    ///
    /// # Panics
    /// If the columns are not strictly increasing or out of range.
    pub fn push_row(&mut self, row: &[(u32, f32)]) {
        assert!(
            row.windows(2).all(|w| w[0].0 < w[1].0),
            "row columns must be increasing"
        );
        assert!(
            row.last().is_none_or(|&(c, _)| (c as usize) < self.cols),
            "column out of range"
        );
        self.indices.extend(row.iter().map(|&(c, _)| c));
        self.data.extend(row.iter().map(|&(_, v)| v));
        self.indptr.push(self.indices.len());
    }

    /// Number of rows.
    pub fn rows(&self) -> usize {
        self.indptr.len() - 1
    }

    /// Number of columns.
    pub fn cols(&self) -> usize {
        self.cols
    }

    /// Number of stored values.
    pub fn nnz(&self) -> usize {
        self.indices.len()
    }

    /// Row `i`: its column numbers and values.
    pub fn row(&self, i: usize) -> (&[u32], &[f32]) {
        let r = self.indptr[i]..self.indptr[i + 1];
        (&self.indices[r.clone()], &self.data[r])
    }

    /// Appends the rows of another matrix with the same number of columns.
    pub fn append(&mut self, other: &CsrMatrix) {
        assert_eq!(self.cols, other.cols, "column counts differ");
        let base = self.indices.len();
        self.indices.extend_from_slice(&other.indices);
        self.data.extend_from_slice(&other.data);
        self.indptr
            .extend(other.indptr[1..].iter().map(|p| p + base));
    }

    /// The raw arrays (indptr, indices, data).
    pub fn parts(&self) -> (&[usize], &[u32], &[f32]) {
        (&self.indptr, &self.indices, &self.data)
    }
}

/// Dot product of two sparse vectors with sorted columns.
pub fn sparse_dot(a: (&[u32], &[f32]), b: (&[u32], &[f32])) -> f32 {
    let (mut i, mut j, mut s) = (0, 0, 0.0f32);
    while i < a.0.len() && j < b.0.len() {
        match a.0[i].cmp(&b.0[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                s += a.1[i] * b.1[j];
                i += 1;
                j += 1;
            }
        }
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_dot_and_append() {
        let mut m = CsrMatrix::new(5);
        m.push_row(&[(0, 1.0), (3, 2.0)]);
        m.push_row(&[]);
        m.push_row(&[(3, 4.0), (4, 1.0)]);
        assert_eq!(m.rows(), 3);
        assert_eq!(m.row(1).0.len(), 0);
        assert_eq!(sparse_dot(m.row(0), m.row(2)), 8.0);
        let mut n = CsrMatrix::new(5);
        n.push_row(&[(1, 1.0)]);
        m.append(&n);
        assert_eq!(m.row(3), (&[1u32][..], &[1.0f32][..]));
        assert_eq!(m.nnz(), 5);
    }
}
