// Package cluster weights contributions with TF-IDF and groups them into
// themes with deterministic spherical k-means.
//
// Rows are contributions, columns are terms (tokenize stems, optionally
// adjacent-stem bigrams), in sorted order. A Vectorizer learns the
// vocabulary and IDF once (Fit) and projects later texts on it
// (Transform); its rows are L2-normalised, so the cosine similarity of a
// row to a unit centroid is exactly Σ_t x[t]·c[t], which the explain layer
// breaks down term by term. Formulas are on Vectorizer, KMeans, ChooseK,
// NMI and ARI.
//
// # Why counts are built here and not with nlp's CountVectoriser
//
// github.com/james-bowman/nlp's CountVectoriser counts into a DOK matrix
// (a map per entry, terms × documents) with a vocabulary in order of first
// sight and no document-frequency bounds; TfidfTransformer then converts
// that matrix to CSR and multiplies it by a diagonal of IDF weights. On the
// 24,000-answer Grand Débat benchmark (go test -bench Vectori -benchmem,
// 2 cores), nlp's pair took 344 ms and 61 MB allocated per fit, limpide's
// Vectorizer 128 ms and 51 MB, with the same analyzer; at the 429,112
// answers of the scale corpus the DOK map and the two conversions would
// each hold a full copy of the matrix. So the Vectorizer
// counts into compact CSR rows itself (in parallel, on fixed chunks), and
// keeps nlp for what it does well: the NLPTokeniser adapter lets nlp's
// vectorisers and transformers run on limpide's stems, Matrix.CSR hands rows
// to nlp and gonum code, and the IDF is nlp's TfidfTransformer weight
// ln((1+n)/(1+df)) plus one, a correspondence the tests check against nlp
// itself.
//
// # Determinism
//
// Every random choice draws from a PCG generator seeded with Config.Seed
// (DefaultSeed when zero) and the run index. Work is split in fixed chunks
// and every floating-point reduction runs in row order, so the matrices and
// results are identical for any GOMAXPROCS and any run. The assignment's
// inner loop, a row's similarity to every centroid, runs in AVX on amd64
// processors that have it and in portable Go elsewhere; the AVX loop makes
// the same operations in the same order as the portable one on amd64, so
// that it gives the same bits.
//
// # Scale
//
// Above MiniBatchThreshold rows, KMeans runs mini-batch k-means followed by
// a few full Lloyd passes. A caller that explains the rows afterwards asks
// FitTransform to keep their tokens (RecordTokens, about three bytes a
// token) and reads them back with RowSpans instead of analysing every
// text a second time.
//
// # LSA, measured and left out
//
// BenchmarkLSA runs nlp's TruncatedSVD (100 dimensions, rows renormalised)
// before spherical k-means on 4,000 answers of the labelled benchmark
// (every 6th). Measured (go test -bench LSA -benchtime 1x, 2 cores): NMI
// against the 4 themes at k = 4 rose from 0.169 to 0.258 and against the
// 51 questions at k = 51 from 0.371 to 0.377, but the factorisation took
// 305 s: nlp factorises a dense copy of the matrix, so the 24,000-answer
// benchmark would take hours and the 429,112-answer corpus could not be
// held. LSA centroids also live in a space of latent dimensions, not terms,
// so a contribution's similarity would no longer break down into per-term
// evidence with spans, which is what a synthesis exists to show. So the
// default is no LSA, and the option is not offered; a sparse truncated SVD
// (Lanczos) would change the cost side of that measurement.
package cluster
