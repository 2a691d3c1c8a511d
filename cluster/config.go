package cluster

// Config sets vectorising and clustering. Its zero value gives the
// documented defaults, which are not tuned per data set.
type Config struct {
	// MinDF is the minimum number of documents a term must occur in.
	// Zero means 2.
	MinDF int
	// MaxDF is the maximum fraction of documents a term may occur in.
	// Zero means 0.5. On corpora of fewer than 2·MinDF documents both
	// bounds are relaxed so that they never exclude every term (DFBounds).
	MaxDF float64
	// MaxTerms caps the vocabulary at its MaxTerms most frequent terms
	// (total count, ties by term). Zero means no cap.
	MaxTerms int
	// Bigrams adds pairs of adjacent stems ("transit ecolog") as terms.
	Bigrams bool
	// LinearTF counts raw term frequencies instead of the default
	// sublinear 1 + ln(count).
	LinearTF bool

	// K is the number of themes. Zero chooses it among KCandidates by the
	// silhouette (see ChooseK).
	K int
	// KCandidates are the numbers of themes ChooseK scores. Empty means
	// DefaultKCandidates.
	KCandidates []int
	// Seed seeds every random choice (k-means++ seeding, restarts,
	// mini-batches, samples). Zero means DefaultSeed.
	Seed uint64
	// Restarts is the number of k-means runs from different seedings; the
	// run with the best objective is kept (mini-batch runs are compared
	// after a tenth of their steps, and the best one alone goes on to the
	// end). Zero means 3.
	Restarts int
	// RefineIter is the number of full Lloyd passes that refine the best
	// mini-batch run. Zero means 3.
	RefineIter int
	// MaxIter caps the iterations of one run. Zero means 100.
	MaxIter int
	// Tol stops a run when the objective improves by less than Tol times
	// its value. Zero means 1e-6.
	Tol float64
	// Algorithm picks full (Lloyd) or mini-batch k-means. The zero value,
	// Auto, uses mini-batch above MiniBatchThreshold rows.
	Algorithm Algorithm
	// BatchSize is the mini-batch size. Zero means 4096.
	BatchSize int
	// SilhouetteSample is the number of rows the silhouette is computed on
	// when choosing k. Zero means 2000.
	SilhouetteSample int
	// Workers is the number of goroutines for analysis and assignment.
	// Zero means GOMAXPROCS. Results do not depend on it.
	Workers int
}

// Algorithm is the k-means variant.
type Algorithm int

const (
	Auto      Algorithm = iota // mini-batch above MiniBatchThreshold rows, full below
	Full                       // Lloyd iterations over every row
	MiniBatch                  // mini-batches, then full refinement passes
)

func (a Algorithm) String() string {
	switch a {
	case Full:
		return "full"
	case MiniBatch:
		return "minibatch"
	}
	return "auto"
}

// Defaults.
const (
	// DefaultSeed is the seed used when Config.Seed is zero.
	DefaultSeed uint64 = 20190115 // the Grand Débat National opened on 15 January 2019
	// MiniBatchThreshold is the number of rows above which Auto picks
	// mini-batch k-means.
	MiniBatchThreshold = 50000
)

// DefaultKCandidates are the numbers of themes scored when K is zero.
var DefaultKCandidates = []int{2, 3, 4, 5, 6, 8, 10, 12, 15, 20, 25, 30, 40, 50}

func (c Config) withDefaults() Config {
	if c.MinDF <= 0 {
		c.MinDF = 2
	}
	if c.MaxDF <= 0 {
		c.MaxDF = 0.5
	}
	if c.Seed == 0 {
		c.Seed = DefaultSeed
	}
	if c.Restarts <= 0 {
		c.Restarts = 3
	}
	if c.RefineIter <= 0 {
		c.RefineIter = 3
	}
	if c.MaxIter <= 0 {
		c.MaxIter = 100
	}
	if c.Tol <= 0 {
		c.Tol = 1e-6
	}
	if c.BatchSize <= 0 {
		c.BatchSize = 4096
	}
	if c.SilhouetteSample <= 0 {
		c.SilhouetteSample = 2000
	}
	if len(c.KCandidates) == 0 {
		c.KCandidates = DefaultKCandidates
	}
	return c
}

// WithDefaults returns c with every zero field set to its documented
// default, as the package uses it: what a report's manifest records.
func (c Config) WithDefaults() Config { return c.withDefaults() }
