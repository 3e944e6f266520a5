"""The Party-document library: documents, search, lesson citations and "document updated" reviews."""
