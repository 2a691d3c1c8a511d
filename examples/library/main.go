// Command library is the smallest useful program that uses limpide: it
// synthesises a handful of contributions and prints each theme with a
// quote, and why the first contribution sits where it does.
//
//	go run ./examples/library
package main

import (
	"context"
	"fmt"
	"log"

	"github.com/limpide/limpide/cluster"
	"github.com/limpide/limpide/synthesis"
)

func main() {
	contributions := []synthesis.Contribution{
		{ID: "1", Text: "Il faut baisser les impôts des classes moyennes."},
		{ID: "2", Text: "Les impôts sont trop lourds pour les retraités."},
		{ID: "3", Text: "Rétablir l'ISF et baisser les impôts des petits revenus."},
		{ID: "4", Text: "Développer les transports en commun dans les campagnes."},
		{ID: "5", Text: "Des trains et des bus, des transports en commun moins chers."},
		{ID: "6", Text: "Plus de transports en commun et de pistes cyclables."},
	}
	rep, err := synthesis.Run(context.Background(), contributions, synthesis.Config{Cluster: cluster.Config{K: 2, MaxDF: 0.75}})
	if err != nil {
		log.Fatal(err)
	}
	for _, t := range rep.Themes {
		q := t.Representatives[0].Quote
		fmt.Printf("%s %-32s %d contributions  « %s »\n", t.ID, t.Label, t.Size, q.Text)
	}
	c := rep.Contributions[0]
	fmt.Printf("\ncontribution %s: %s to %s, similarity %.3f (runner-up %s, margin %.3f)\n", c.ID, c.Status, c.Theme, c.Similarity, c.RunnerUp, c.Margin)
	for _, e := range c.Evidence {
		fmt.Printf("  %-10s %.3f at bytes %v\n", e.Form, e.Contribution, e.Spans)
	}
}
