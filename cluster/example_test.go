package cluster_test

import (
	"context"
	"fmt"

	"github.com/limpide/limpide/cluster"
)

func Example() {
	answers := []string{
		"Baisser les impôts et la taxe foncière",
		"Les impôts et les taxes sont trop lourds",
		"Développer les transports en commun et le train",
		"Plus de trains et de transports en commun",
		"Le référendum d'initiative citoyenne pour la démocratie",
		"Plus de démocratie directe, le référendum",
	}
	v := cluster.NewVectorizer(nil, cluster.Config{})
	m, err := v.FitTransform(answers)
	if err != nil {
		panic(err)
	}
	res, err := cluster.KMeans(context.Background(), m, 3, cluster.Config{})
	if err != nil {
		panic(err)
	}
	fmt.Println("terms:", v.Vocabulary().Terms)
	for i, a := range answers {
		fmt.Printf("theme %d  %.2f  %s\n", res.Labels[i], res.Similarity[i], a)
	}
	// Output:
	// terms: [commun democrat impot referendum tax train transport]
	// theme 0  1.00  Baisser les impôts et la taxe foncière
	// theme 0  1.00  Les impôts et les taxes sont trop lourds
	// theme 1  1.00  Développer les transports en commun et le train
	// theme 1  1.00  Plus de trains et de transports en commun
	// theme 2  1.00  Le référendum d'initiative citoyenne pour la démocratie
	// theme 2  1.00  Plus de démocratie directe, le référendum
}

func ExampleNMI() {
	handCoded := []string{"fiscalité", "fiscalité", "écologie", "écologie", "démocratie", "démocratie"}
	themes := []int{0, 0, 1, 1, 1, 2}
	fmt.Printf("NMI %.3f, ARI %.3f\n", cluster.NMI(handCoded, themes), cluster.ARI(handCoded, themes))
	// Output:
	// NMI 0.740, ARI 0.444
}
