package tokenize_test

import (
	"fmt"

	"github.com/limpide/limpide/tokenize"
)

func ExampleAnalyzer_Tokens() {
	text := "L’État doit baisser les impôts sur le carburant."
	a := tokenize.NewAnalyzer(tokenize.Config{})
	for _, t := range a.Tokens(text) {
		fmt.Printf("%-10s %-10s %-8s [%d,%d) %q\n", t.Surface, t.Norm, t.Stem, t.Start, t.End, text[t.Start:t.End])
	}
	// Output:
	// État       état       etat     [4,9) "État"
	// baisser    baisser    baiss    [15,22) "baisser"
	// impôts     impôts     impot    [27,34) "impôts"
	// carburant  carburant  carbur   [42,51) "carburant"
}

func ExampleConfig() {
	text := "Limiter à 80 km/h ? Voir #RIC et www.granddebat.fr"
	a := tokenize.NewAnalyzer(tokenize.Config{KeepNumbers: true, KeepURLs: true})
	for _, t := range a.Tokens(text) {
		fmt.Printf("%-7s %q\n", t.Kind, t.Norm)
	}
	// Output:
	// word    "limiter"
	// number  "80 km/h"
	// word    "voir"
	// hashtag "#ric"
	// url     "www.granddebat.fr"
}

func ExampleStem() {
	for _, w := range []string{"fiscalité", "écologiques", "genoux", "mauvaise", "transitions"} {
		fmt.Println(w, "→", tokenize.Stem(w))
	}
	// Output:
	// fiscalité → fiscal
	// écologiques → écolog
	// genoux → genou
	// mauvaise → mauvais
	// transitions → transit
}

func ExampleForms() {
	a := tokenize.NewAnalyzer(tokenize.Config{})
	var forms tokenize.Forms
	for _, text := range []string{
		"Plus de justice dans la fiscalité.",
		"Une fiscalité plus juste.",
		"Les fiscalités locales sont injustes.",
	} {
		forms.Add(a.Tokens(text))
	}
	stem := a.StemOf("fiscalité")
	fmt.Println(stem, "→", forms.Top(stem), forms.Of(stem))
	// Output:
	// fiscal → fiscalité [{fiscalité 2} {fiscalités 1}]
}
