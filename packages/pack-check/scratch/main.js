import '@tsy/widgets';
