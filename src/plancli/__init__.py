"""plancli: Chinese government plan documents into structured data."""
from .dataset import read_dataset
from .errors import InputError, PlancliError, UsageError
from .models import Document, Measure, Meta, Section, Target
from .parser import parse_file, parse_text
from .reader import read_path

__version__ = "0.1.0"
__all__ = ["Document", "InputError", "Measure", "Meta", "PlancliError", "Section", "Target", "UsageError",
           "parse_file", "parse_text", "read_dataset", "read_path", "__version__"]
