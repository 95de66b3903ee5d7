/** UI texts of police event types without a category (issue #11 item 6); spread into sv.ts and en.ts. */
export const policeUi = {
  sv: {
    unmapped: {
      heading: 'Polisens händelsetyper utan kategori',
      intro: 'Dessa typer av händelser från Polisen är inte kopplade till någon av kommunens kategorier och räknas därför inte i tabellerna.',
      type: 'Händelsetyp',
      count: 'Antal denna vecka',
      category: 'Kategori för {{type}}',
      choose: 'Välj kategori',
      notEvent: 'Inte en händelse (sammanfattning, uppdatering)',
      save: 'Spara kopplingarna',
      saved: 'Kopplingarna är sparade. Händelserna räknas nu i sina kategorier.',
      nothingChosen: 'Välj en kategori för minst en typ.',
      askAdmin: 'En administratör kopplar händelsetyper till kategorier.',
      imported: 'Nya händelsetyper utan kategori i filen: {{types}}. De räknas inte förrän de kopplats till en kategori; det görs i veckans lägesbild.',
    },
  },
  en: {
    unmapped: {
      heading: 'Police event types without a category',
      intro: "These types of police events are not mapped to any of the municipality's categories and so are not counted in the tables.",
      type: 'Event type',
      count: 'Number this week',
      category: 'Category for {{type}}',
      choose: 'Choose a category',
      notEvent: 'Not an event (summary, update)',
      save: 'Save the mappings',
      saved: 'The mappings are saved. The events are now counted in their categories.',
      nothingChosen: 'Choose a category for at least one type.',
      askAdmin: 'An administrator maps event types to categories.',
      imported: 'New event types without a category in the file: {{types}}. They are not counted until mapped to a category, which is done in the weekly situation picture.',
    },
  },
};
