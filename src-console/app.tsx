// The console shell (sign-in, layout, navigation, router): being built.
export function App() {
  return <main>Loyalty HQ</main>;
}
